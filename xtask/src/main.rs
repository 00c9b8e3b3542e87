//! omfang's task runner: `cargo xtask serve | dist | ci | bench | bench-analysis | bench-mail`.
//!
//! A plain binary with few dependencies. It installs or checks what it
//! needs (wasm target, Debian's chromium/chromedriver/postgresql/pspp/
//! python3-aiosmtpd, scipy/pandas/openpyxl from PyPI), says
//! what it is doing, and stops at the first failing step.

use std::env;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

mod bench;
mod bench_analysis;
mod bench_mail;
mod bench_stats;
mod wasm_opt;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Budget for the browser payload (wasm + JS + CSS + HTML), gzip-compressed.
/// Raised from 300 KB to 325 KB when the engine gained the item kinds a
/// second survey needs (date, money grid with its sum, estimate, roster
/// rows added and removed in the page): about 11 KB of code every survey's
/// respondents download, still a fraction of a typical news page.
const PAYLOAD_BUDGET_GZIP: u64 = 325 * 1024;
/// Budget for the administrators' and researchers' payload (the same app
/// with the `/admin` and `/analyse` pages), gzip-compressed. Raised from
/// 400 KB when the researchers' area joined the build, and to 500 KB when
/// its pages read typed answers (the `omfang-api` crate's deserializers
/// for every shape) and gained duplicate comparison and coding search:
/// it is used by a handful of staff on office PCs, and respondents'
/// download (above) is what must stay small. 520 KB since the new item
/// kinds joined the preview and the two surveys' pages.
const ADMIN_PAYLOAD_BUDGET_GZIP: u64 = 520 * 1024;
/// Password the CI gives the local PostgreSQL superuser (loopback only).
const PG_PASSWORD: &str = "omfang";

const HELP: &str = "\
cargo xtask <command>

Commands:
  serve [ARGS...]  Build the browser app and run `omfang serve` on SQLite (omfang.db)
                   with the shipped surveys loaded; ARGS go to `omfang serve`.
  dist             Build the browser app into frontend/dist and print its payload.
  bench [SECONDS] [sqlite|postgresql]
                   Autosave benchmark: the release server in its own process, load from
                   this one over loopback, 50 and 200 concurrent respondents, on SQLite
                   and PostgreSQL; prints throughput and p50/p99 latency (default 5 s a run).
  bench-analysis [N | stats]
                   Analysis benchmark: the full report on N synthetic respondents (default
                   1 000 000) against the same cross-tabs and tests in pandas + scipy, the
                   report of a 245-respondent round, and `omfang stats` (release, whole
                   process) against pandas + scipy on a 1 000 000-row CSV; prints time and
                   peak memory. `bench-analysis stats` runs only the last part.
  bench-mail [N]   A wave of N mails (default 10 000), unthrottled, to a real SMTP server on
                   loopback: time, mails per second, every recipient exactly once.
  ci               Install what the tests need (wasm target, chromium, chromedriver,
                   PostgreSQL), then run formatting, clippy, wasm builds and every test
                   on SQLite and PostgreSQL, including the browser tests.
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("dist") => dist().map(|_| ()),
        Some("ci") => ci(),
        Some("bench") => bench::run(
            args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5),
            args.get(2).map(String::as_str),
        ),
        Some("bench-analysis") if args.get(1).is_some_and(|a| a == "stats") => {
            bench_analysis::run_stats_only()
        }
        Some("bench-analysis") => bench_analysis::run_bench(
            args.get(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(1_000_000),
        ),
        Some("bench-mail") => {
            bench_mail::run_bench(args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000))
        }
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

pub(crate) fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("target"))
}

pub(crate) fn step(what: &str) {
    println!("\n==> {what}");
    let _ = std::io::stdout().flush();
}

pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    println!("$ {}", describe(cmd));
    let status = cmd
        .current_dir(project_root())
        .status()
        .with_context(|| format!("starting `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .with_context(|| format!("starting `{}`", describe(cmd)))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Adds rustfmt and clippy when the toolchain was installed without them.
fn ensure_components() -> Result<()> {
    for (component, probe) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        let present = cargo()
            .args([probe, "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !present {
            step(&format!("adding the {component} component"));
            run(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == WASM_TARGET) {
        step("adding the wasm32 target");
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    Ok(())
}

/// Builds the browser app into `frontend/dist`, twice: the respondents'
/// build (`pkg/`, checked against the 325 KB budget) and the
/// administrators' build with the `admin` feature (`admin-pkg/`). Each is
/// wasm (size-optimised) plus JS glue from the wasm-bindgen version pinned in
/// Cargo.lock; then HTML, CSS, and gzip copies that the server sends to
/// browsers that accept them.
fn dist() -> Result<PathBuf> {
    ensure_wasm_target()?;
    let dist = project_root().join("frontend").join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).context("clearing frontend/dist")?;
    }
    fs::create_dir_all(&dist)?;
    for file in ["index.html", "boot.js"] {
        fs::copy(project_root().join("frontend").join(file), dist.join(file))
            .with_context(|| format!("copying {file}"))?;
    }
    for file in ["style.css", "admin.css"] {
        let css = fs::read_to_string(project_root().join("frontend").join(file))
            .with_context(|| format!("reading {file}"))?;
        fs::write(dist.join(file), minify_css(&css))?;
    }
    let respondents = build_app(&dist, "wasm-release", None, "pkg")?;
    let admins = build_app(&dist, "wasm-admin", Some("admin"), "admin-pkg")?;
    step("payload (what a browser downloads)");
    println!("| file | bytes | gzip |\n|---|---:|---:|");
    let shared = [
        dist.join("index.html"),
        dist.join("boot.js"),
        dist.join("style.css"),
    ];
    let mut totals = Vec::new();
    for (name, pkg, budget, own_css) in [
        ("respondents", respondents, PAYLOAD_BUDGET_GZIP, None),
        (
            "administrators",
            admins,
            ADMIN_PAYLOAD_BUDGET_GZIP,
            Some(dist.join("admin.css")),
        ),
    ] {
        let mut total = (0, 0);
        for f in shared
            .iter()
            .chain(&own_css)
            .chain(&[pkg.join("frontend.js"), pkg.join("frontend_bg.wasm")])
        {
            let (raw, gz) = gzip_copy(f)?;
            println!("| {} | {raw} | {gz} |", f.strip_prefix(&dist)?.display());
            total.0 += raw;
            total.1 += gz;
        }
        println!(
            "| **total, {name}** | {} | **{} KB** (budget {} KB) |",
            total.0,
            total.1 / 1024,
            budget / 1024
        );
        totals.push((name, total.1, budget));
    }
    for (name, size, budget) in totals {
        if size > budget {
            bail!(
                "the {name}' browser payload is {} KB gzip, over the {} KB budget",
                size / 1024,
                budget / 1024
            );
        }
    }
    Ok(dist)
}

/// Builds one variant of the browser app and writes its glue to `dist/<folder>`.
fn build_app(dist: &Path, profile: &str, features: Option<&str>, folder: &str) -> Result<PathBuf> {
    step(&format!(
        "building the browser app for wasm32 ({profile}{})",
        features
            .map(|f| format!(", features {f}"))
            .unwrap_or_default()
    ));
    let mut cmd = cargo();
    cmd.args([
        "build",
        "-p",
        "frontend",
        "--target",
        WASM_TARGET,
        "--profile",
        profile,
    ]);
    if let Some(f) = features {
        cmd.args(["--features", f]);
    }
    run(&mut cmd)?;
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(profile)
        .join("frontend.wasm");
    let pkg = dist.join(folder);
    fs::create_dir_all(&pkg)?;
    step("generating the JS glue (wasm-bindgen)");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .omit_default_module_path(false)
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&pkg)
        .context("wasm-bindgen")?;
    wasm_opt::shrink(&pkg.join("frontend_bg.wasm"))?;
    Ok(pkg)
}

/// Drops comments and needless whitespace from the stylesheet. Written
/// here because it is a dozen lines; a CSS minifier crate would bring a
/// whole CSS parser into the build for a few hundred bytes.
fn minify_css(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    text.push_str(rest);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = collapsed;
    for sep in ["{", "}", ";", ","] {
        out = out
            .replace(&format!(" {sep}"), sep)
            .replace(&format!("{sep} "), sep);
    }
    out.replace(";}", "}")
}

/// Writes `<file>.gz` next to `file` (once) and returns (bytes, gzip bytes).
fn gzip_copy(f: &Path) -> Result<(u64, u64)> {
    let raw = fs::read(f).with_context(|| format!("reading {}", f.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&raw)?;
    let gz = gz.finish()?;
    fs::write(
        f.with_extension(format!(
            "{}.gz",
            f.extension().unwrap_or_default().to_string_lossy()
        )),
        &gz,
    )?;
    Ok((raw.len() as u64, gz.len() as u64))
}

fn serve(args: &[String]) -> Result<()> {
    let dist = dist()?;
    step("starting omfang on SQLite (omfang.db); stop with Ctrl-C");
    let mut cmd = cargo();
    cmd.args(["run", "-p", "omfang", "--", "serve", "--static-dir"])
        .arg(&dist)
        .args(args);
    run(&mut cmd)
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false)
}

/// Installs Debian packages that are missing (needs root or sudo).
pub(crate) fn ensure_packages(packages: &[(&str, &str)]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(_, probe)| !Path::new(probe).exists())
        .map(|(p, _)| *p)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!(
        "installing Debian packages: {}",
        missing.join(" ")
    ));
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo", "-n"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(std::process::Stdio::null());
        cmd
    };
    run(&mut apt(&["update", "-q"]))?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(&missing);
    run(&mut apt(&install))
}

/// Starts the local PostgreSQL cluster if needed and returns a URL for tests.
pub(crate) fn ensure_postgres() -> Result<String> {
    if let Ok(url) = env::var("OMFANG_TEST_POSTGRES_URL") {
        return Ok(url);
    }
    let clusters = output(&mut Command::new("pg_lsclusters"))?;
    let Some(line) = clusters.lines().skip(1).find(|l| !l.trim().is_empty()) else {
        bail!("PostgreSQL is installed but has no cluster (pg_lsclusters is empty)");
    };
    let cols: Vec<&str> = line.split_whitespace().collect();
    let (version, name, port) = (cols[0], cols[1], cols[2]);
    if !line.contains("online") {
        step(&format!("starting PostgreSQL {version}/{name}"));
        run(Command::new("pg_ctlcluster").args([version, name, "start"]))?;
    }
    let sql = format!("ALTER USER postgres PASSWORD '{PG_PASSWORD}'");
    run(Command::new("su").args(["postgres", "-c", &format!("psql -q -p {port} -c \"{sql}\"")]))?;
    Ok(format!(
        "postgres://postgres:{PG_PASSWORD}@127.0.0.1:{port}/postgres"
    ))
}

/// The Python packages the reference tests compare against, pinned: scipy
/// (statistics), pandas (the analysis benchmark's rival), openpyxl (reads
/// the XLSX export back).
pub(crate) const PYTHON_PACKAGES: &[&str] = &[
    "scipy==1.17.1",
    "pandas==3.1.1",
    "openpyxl==3.1.5",
    "schemathesis==4.32.5",
];

/// Installs the pinned Python packages from PyPI into the machine's `python3`.
pub(crate) fn ensure_python_packages() -> Result<()> {
    step("Python reference packages from PyPI (scipy, pandas, openpyxl)");
    run(Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PYTHON_PACKAGES)
        .stdin(std::process::Stdio::null()))
}

/// axe-core, pinned, from the npm registry: the browser tests run it on
/// every page type. Installed into the target directory; returns the path
/// of `axe.min.js`.
const AXE_CORE: &str = "axe-core@4.11.0";

fn ensure_axe() -> Result<PathBuf> {
    let dir = target_dir().join("npm-tools");
    let axe = dir.join("node_modules/axe-core/axe.min.js");
    if axe.is_file() {
        return Ok(axe);
    }
    if Command::new("npm").arg("--version").output().is_err() {
        ensure_packages(&[("npm", "/usr/bin/npm")])?;
    }
    step(&format!(
        "{AXE_CORE} from the npm registry (accessibility checks)"
    ));
    fs::create_dir_all(&dir)?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .arg(AXE_CORE)
        .stdin(std::process::Stdio::null()))?;
    Ok(axe)
}

/// Whether `cargo nextest` runs with this `PATH` (cargo looks for its
/// subcommands there and in `$CARGO_HOME/bin`).
fn has_nextest(path: &std::ffi::OsStr) -> bool {
    cargo()
        .args(["nextest", "--version"])
        .env("PATH", path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The test runner: cargo-nextest where installed, else rustup's own
/// `cargo test` (a fresh machine with only rustup's toolchain has no nextest).
fn test_runner() -> Command {
    test_runner_with(has_nextest(&env::var_os("PATH").unwrap_or_default()))
}

fn test_runner_with(has_nextest: bool) -> Command {
    let mut cmd = cargo();
    if has_nextest {
        cmd.args(["nextest", "run"]);
    } else {
        step("cargo-nextest is not installed: running the tests with `cargo test`");
        cmd.arg("test");
    }
    cmd.args(["--workspace", "--exclude", "frontend", "--no-fail-fast"]);
    cmd
}

fn ci() -> Result<()> {
    let started = std::time::Instant::now();
    ensure_components()?;
    ensure_wasm_target()?;
    ensure_packages(&[
        ("chromium", "/usr/bin/chromium"),
        ("chromium-driver", "/usr/bin/chromedriver"),
        ("postgresql", "/usr/bin/pg_ctlcluster"),
        ("pspp", "/usr/bin/pspp"),
        (
            "python3-aiosmtpd",
            "/usr/lib/python3/dist-packages/aiosmtpd/__init__.py",
        ),
    ])?;
    let pg_url = ensure_postgres()?;
    ensure_python_packages()?;
    let axe = ensure_axe()?;

    step("formatting");
    run(cargo().args(["fmt", "--all", "--check"]))?;
    step("clippy (host crates, then the browser app for wasm32)");
    run(cargo().args([
        "clippy",
        "--workspace",
        "--exclude",
        "frontend",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo().args([
        "clippy",
        "-p",
        "frontend",
        "--target",
        WASM_TARGET,
        "--features",
        "admin",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("the engine builds unchanged for wasm32");
    run(cargo().args(["build", "-p", "survey-definitions", "--target", WASM_TARGET]))?;
    let dist = dist()?;

    step("the omfang binary (the durability test runs it as a process of its own)");
    run(cargo().args(["build", "-p", "omfang", "--bin", "omfang"]))?;
    step("tests: engine, backend, API on SQLite and PostgreSQL, browser (headless Chromium)");
    let mut tests = test_runner();
    tests
        .env("OMFANG_TEST_POSTGRES_URL", &pg_url)
        .env("OMFANG_AXE", &axe)
        .env("OMFANG_DIST_DIR", &dist)
        .env("OMFANG_CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("OMFANG_CHROMIUM", "/usr/bin/chromium");
    run(&mut tests)?;
    println!("\nxtask ci: all steps passed in {:.0?}", started.elapsed());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a machine with only rustup's toolchain (no cargo-nextest on the
    /// `PATH`), the test command falls back to `cargo test`.
    #[test]
    fn without_nextest_the_tests_run_with_cargo_test() {
        let cargo_bin = PathBuf::from(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        let only_cargo = tempfile_dir();
        let link = only_cargo.join("cargo");
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(&cargo_bin, &link).unwrap();
        // CARGO_HOME/bin may hold a nextest of its own; point it elsewhere.
        let found = has_nextest_with_home(only_cargo.as_os_str(), &only_cargo);
        assert!(
            !found,
            "nextest found though hidden from PATH and CARGO_HOME"
        );
        let runner = test_runner_with(found);
        let args: Vec<_> = runner.get_args().collect();
        assert_eq!(
            args.first().and_then(|a| a.to_str()),
            Some("test"),
            "{args:?}"
        );
        let _ = fs::remove_dir_all(&only_cargo);
    }

    fn has_nextest_with_home(path: &std::ffi::OsStr, home: &Path) -> bool {
        cargo()
            .args(["nextest", "--version"])
            .env("PATH", path)
            .env("CARGO_HOME", home)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn tempfile_dir() -> PathBuf {
        let dir = env::temp_dir().join(format!("xtask-no-nextest-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}
