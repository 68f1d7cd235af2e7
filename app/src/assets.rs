//! The compiled site's files as pages link them. A release build names each after a hash of
//! its content (cargo-leptos `hash-files`, listed in `hash.txt` beside the server binary), so
//! the server can let browsers keep them for a year: a new build brings new names.

use leptos::config::LeptosOptions;
use std::sync::OnceLock;

pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

impl Assets {
    /// Read once per process: the files do not change under a running server.
    pub fn of(options: &LeptosOptions) -> &'static Assets {
        static ASSETS: OnceLock<Assets> = OnceLock::new();
        ASSETS.get_or_init(|| {
            let hashes = if options.hash_files {
                hash_file(options).unwrap_or_default()
            } else {
                String::new()
            };
            let name = |kind: &str, ext: &str| {
                let hash = hashes.lines().find_map(|line| {
                    let (file, hash) = line.split_once(':')?;
                    (file.trim() == kind).then(|| hash.trim().to_string())
                });
                let stem = options.output_name.as_ref();
                let pkg = options.site_pkg_dir.as_ref();
                match hash {
                    Some(h) => format!("/{pkg}/{stem}.{h}.{ext}"),
                    None => format!("/{pkg}/{stem}.{ext}"),
                }
            };
            Assets {
                css: name("css", "css"),
                js: name("js", "js"),
                wasm: name("wasm", "wasm"),
            }
        })
    }
}

fn hash_file(options: &LeptosOptions) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
}
