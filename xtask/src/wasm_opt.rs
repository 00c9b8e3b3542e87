//! binaryen's `wasm-opt`, run on the browser app after wasm-bindgen.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::{ensure_packages, run, step, target_dir};

/// binaryen, pinned, from the npm registry (Debian's wasm-opt 108 makes a
/// wasm Chromium refuses; see BUILD-NOTES).
const BINARYEN: &str = "binaryen@123.0.0";

/// Drops dead and duplicate code from a wasm file with binaryen's
/// `wasm-opt`. Only these size passes: `-Oz` shrinks the raw file but
/// grows the gzip download by a tenth (measured: 294 → 321 KB), while
/// these take 2 KB off the gzip size and change no behaviour.
pub(crate) fn shrink(wasm: &Path) -> Result<()> {
    let dir = target_dir().join("npm-tools");
    let tool = dir.join("node_modules/.bin/wasm-opt");
    if !tool.is_file() {
        if Command::new("npm").arg("--version").output().is_err() {
            ensure_packages(&[("npm", "/usr/bin/npm")])?;
        }
        step(&format!("{BINARYEN} from the npm registry (wasm-opt)"));
        fs::create_dir_all(&dir)?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(BINARYEN)
            .stdin(std::process::Stdio::null()))?;
    }
    step("dropping dead and duplicate code (wasm-opt)");
    run(Command::new(tool)
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            "--strip-debug",
            "--dce",
            "--vacuum",
            "--remove-unused-module-elements",
            "--duplicate-function-elimination",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}
