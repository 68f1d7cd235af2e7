//! The `location` table, loaded from `shared::location` (the programme's locations.csv).

use crate::backend::db::Db;

/// Inserts or refreshes every province/governorate. Idempotent; run at every start-up.
pub async fn sync(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for l in shared::location::all() {
        sqlx::query(
            "INSERT INTO location (location_id, country, iso_code, name_en, name_local)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (location_id) DO UPDATE SET
               country = excluded.country, iso_code = excluded.iso_code,
               name_en = excluded.name_en, name_local = excluded.name_local",
        )
        .bind(&l.key)
        .bind(l.country.code())
        .bind(l.iso_code.as_deref())
        .bind(&l.name_en)
        .bind(&l.name_local)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
