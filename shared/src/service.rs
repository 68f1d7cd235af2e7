//! The categories of service a need is referred to (the service directory, plans, referrals).

crate::code_enum! {
    /// A kind of service community organisations and ministry departments offer.
    pub enum ServiceCategory {
        Livelihood = "livelihood",
        VocationalTraining = "vocational_training",
        CashAssistance = "cash_assistance",
        Housing = "housing",
        Health = "health",
        Psychosocial = "psychosocial",
        LegalDocumentation = "legal_documentation",
        Education = "education",
        FamilyTracing = "family_tracing",
    }
}
