//! The PostgreSQL server itself restarted while a `kaiden worker` is inside an
//! import: a test binary of its own (cargo runs test binaries one at a time,
//! so no other test's server goes away under it). It restarts the local
//! cluster with `pg_ctlcluster` and says SKIPPED when it cannot (no local
//! cluster, or `KAIDEN_TEST_POSTGRES` names another server). Loopback only,
//! bounded in time; the server is started again whatever happens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg;

use std::process::Command;
use std::time::{Duration, Instant};

use kaiden::service::ImportState;
use kaiden_testkit::big_batch_manual;
use pg::*;
use serde_json::json;

/// The local cluster to restart (`15 main`), when the tests' server is it.
fn local_cluster() -> Result<(String, String), String> {
    let u = url();
    if !(u.contains("@127.0.0.1") || u.contains("@localhost")) {
        return Err(format!("{u} is not this machine's server"));
    }
    let out = Command::new("pg_lsclusters")
        .arg("--no-header")
        .output()
        .map_err(|e| format!("pg_lsclusters: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.split_whitespace().nth(2) == Some("5432"))
        .ok_or("no local cluster on port 5432")?;
    let mut f = line.split_whitespace();
    match (f.next(), f.next()) {
        (Some(v), Some(c)) => Ok((v.to_owned(), c.to_owned())),
        _ => Err(format!("pg_lsclusters: {line:?}")),
    }
}

fn pg_ctl(cluster: &(String, String), action: &str) -> bool {
    Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &cluster.0, &cluster.1, action])
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts the cluster again if it is down when the test ends, however it ends.
struct Restore((String, String));

impl Drop for Restore {
    fn drop(&mut self) {
        if admin("SELECT 1").is_err() {
            pg_ctl(&self.0, "start");
        }
    }
}

/// A session of its own holding `imports` in EXCLUSIVE mode (reads go on,
/// writes wait) until the server ends it.
fn hold_imports_lock(db: &Db) -> std::thread::JoinHandle<()> {
    let (tx, rx) = std::sync::mpsc::channel();
    let sql = format!("BEGIN; LOCK TABLE {}.imports IN EXCLUSIVE MODE", db.schema);
    let handle = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let (client, conn) = tokio_postgres::connect(&url(), tokio_postgres::NoTls)
                .await
                .expect("connect");
            let driver = tokio::spawn(conn);
            client.batch_execute(&sql).await.expect("lock");
            tx.send(()).expect("signal");
            // Until the restart closes the connection.
            let _ = driver.await;
        });
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the lock was taken");
    handle
}

#[test]
fn a_server_restart_mid_import_rolls_it_back_and_the_worker_completes_it_once() {
    let Some(db) = Db::fresh("a server restart") else {
        return;
    };
    let cluster = match local_cluster() {
        Ok(c) => c,
        Err(why) => {
            eprintln!("SKIPPED: a server restart: {why}");
            return;
        }
    };
    let _restore = Restore(cluster.clone());
    let host = db.host();
    let keys = setup_users(&host, 1..=1);
    let n = 40_000;
    let (front, base) = front_end(&db);
    let (status, body) = upload(&base, &keys[&1], &big_batch_manual(n));
    assert_eq!(status, 202, "{body}");
    let id = body["body"]["importID"].as_str().unwrap().to_owned();
    let _worker = worker(&db, "kaiden_restart", "1");
    // The import's last write (its ImportDocument) waits on a lock this test
    // holds, so the restart finds it inside its transaction, whatever the
    // machine's speed; the restart ends the lock's session too.
    let holder = hold_imports_lock(&db);
    wait_for(&host, &id, 60, |s| *s == ImportState::Running);
    let blocked = "SELECT count(*) FROM pg_stat_activity \
                   WHERE application_name = 'kaiden_restart' AND wait_event_type = 'Lock'";
    let deadline = Instant::now() + Duration::from_secs(120);
    while admin(blocked).unwrap().first().map(String::as_str) == Some("0") {
        assert!(
            Instant::now() < deadline,
            "the import never reached its last write"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Written inside the open transaction, seen by no one else.
    assert_eq!(host.documents("scores", 1).unwrap().len(), 0);
    assert!(pg_ctl(&cluster, "restart"), "pg_ctlcluster restart");
    let _ = holder.join();
    let deadline = Instant::now() + Duration::from_secs(30);
    while admin("SELECT 1").is_err() {
        assert!(Instant::now() < deadline, "the server did not come back");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Rolled back with the server's restart; the worker, its connections
    // gone, requeues it (or another claim finds its claimer gone) and runs
    // it again: one ImportDocument, every score once.
    let end = wait_for(&host, &id, 180, |s| {
        !matches!(s, ImportState::Queued | ImportState::Running)
    });
    assert_eq!(end, ImportState::Completed);
    let imports = host.documents("imports", 1).unwrap();
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0]["importID"], json!(id));
    assert_eq!(imports[0]["scoreIDs"].as_array().map(Vec::len), Some(n));
    assert_eq!(host.documents("scores", 1).unwrap().len(), n);
    // The import was inside its transaction when the server went down: its
    // job ran again. (Checking for no scores right after the restart would
    // race the worker's retry, which may already have committed.)
    let runs = admin(&format!(
        "SELECT runs FROM {}.import_jobs WHERE import_id = '{id}'",
        db.schema
    ))
    .unwrap();
    let runs: u32 = runs.first().and_then(|r| r.parse().ok()).unwrap_or(0);
    assert!(
        runs >= 2,
        "the import finished before the restart (runs: {runs})"
    );
    drop(front);
}
