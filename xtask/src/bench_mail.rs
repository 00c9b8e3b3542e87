//! `cargo xtask bench-mail [N]`: a wave of N mails (default 10 000),
//! unthrottled, from the release `omfang` binary to a real SMTP server on
//! loopback (the aiosmtpd sink the tests use); prints time, mails per second
//! and whether every recipient got exactly one mail.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{cargo, ensure_packages, project_root, run, step, target_dir};

/// Runs the benchmark.
pub fn run_bench(n: usize) -> Result<()> {
    ensure_packages(&[(
        "python3-aiosmtpd",
        "/usr/lib/python3/dist-packages/aiosmtpd/__init__.py",
    )])?;
    step("building omfang (release)");
    run(cargo().args(["build", "--release", "-p", "omfang", "--bin", "omfang"]))?;
    let bin = target_dir().join("release/omfang");
    let dir = std::env::temp_dir().join(format!("omfang-bench-mail-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let secret = dir.join("omfang.key");
    let omfang = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.args(args)
            .env("DATABASE_URL", &url)
            .env("OMFANG_SECRET_FILE", &secret)
            .env("RUST_LOG", "warn");
        c
    };

    step(&format!("{n} contacts"));
    let registry =
        std::fs::read_to_string(project_root().join("backend/data/municipalities-2024.csv"))?;
    let numbers: Vec<&str> = registry
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    let mut csv = String::from("municipality_number,district_number,kind,name,email\n");
    for i in 0..n {
        let m = numbers[i % numbers.len()];
        csv.push_str(&format!(
            "{m},,tjeneste,Kontakt {i},kontakt{i}@kommune{m}.no\n"
        ));
    }
    let contacts = dir.join("contacts.csv");
    std::fs::write(&contacts, csv)?;
    let out = omfang(&["contacts", "import", contacts.to_str().context("path")?]).output()?;
    if !out.status.success() {
        bail!(
            "contacts import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let template = dir.join("template.txt");
    std::fs::write(
        &template,
        "Hei {navn}!\n\nSvar for {kommune} innen {frist}: {lenke}\n\nAvmelding: {avmelding}\n",
    )?;

    step("SMTP server (aiosmtpd) on loopback");
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mails = dir.join("mails.jsonl");
    let mut sink = Command::new("/usr/bin/python3")
        .arg(project_root().join("tests/it/smtp_sink.py"))
        .arg(port.to_string())
        .arg(&mails)
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(sink.stdout.take().context("sink stdout")?).read_line(&mut line)?;

    step(&format!("a wave of {n} mails, unthrottled"));
    let started = Instant::now();
    let out = omfang(&[
        "wave",
        "send",
        "--round",
        "korus-2025",
        "--select",
        "all",
        "--subject",
        "Undersøkelse – {kommune}",
        "--template",
        template.to_str().context("path")?,
        "--deadline",
        "16. mai 2025",
        "--smtp-url",
        &format!("smtp://127.0.0.1:{port}"),
        "--per-minute",
        "4000000000",
    ])
    .output()?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = Command::new("kill").arg(sink.id().to_string()).status();
    let _ = sink.wait();
    if !out.status.success() {
        bail!("wave failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let mut per_recipient: BTreeMap<String, usize> = BTreeMap::new();
    for l in std::fs::read_to_string(&mails)?.lines() {
        let v: serde_json::Value = serde_json::from_str(l)?;
        for to in v["to"].as_array().into_iter().flatten() {
            *per_recipient
                .entry(to.as_str().unwrap_or_default().to_owned())
                .or_default() += 1;
        }
    }
    let once = per_recipient.len() == n && per_recipient.values().all(|&c| c == 1);
    let _ = std::fs::remove_dir_all(&dir);
    println!("\n| mails | seconds | mails/s | every recipient exactly once |");
    println!("|---:|---:|---:|---|");
    println!(
        "| {n} | {seconds:.1} | {:.0} | {} ({} recipients) |",
        n as f64 / seconds,
        if once { "yes" } else { "NO" },
        per_recipient.len()
    );
    println!(
        "\n(wave composition included; 8 SMTP transactions at a time over lettre's connection pool; the sink is Python)"
    );
    if !once {
        bail!("not every recipient got exactly one mail");
    }
    Ok(())
}
