//! Connection bounds on a real loopback server: silent clients are cut off
//! after the read timeout (slow headers, idle keep-alive), a request being
//! handled is not, and connections beyond the cap wait their turn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kaiden_server::Config;
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::{TempDir, big_batch_manual, workspace_root};

mod common;

fn start(config: Config) -> (String, String, TempDir) {
    let dir = TempDir::new("conns");
    let host = SqliteHost::open(dir.join("kaiden.db")).expect("open");
    host.load_seeds(workspace_root().join("examples/seeds"))
        .expect("seeds");
    let user = host.add_user("alice").expect("user");
    let key = host
        .create_api_key(user, &["submit_score".to_owned()])
        .expect("key");
    let base = common::serve(Arc::new(host), config, kaiden::registry());
    (base, key, dir)
}

fn addr(base: &str) -> String {
    base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or `bound` passes); how
/// long that took, and what was read.
fn until_closed(s: &mut TcpStream, bound: Duration) -> (Duration, Vec<u8>) {
    let t = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while t.elapsed() < bound {
        match s.read(&mut buf) {
            Ok(0) => return (t.elapsed(), got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return (t.elapsed(), got),
        }
    }
    (t.elapsed(), got)
}

#[test]
fn silent_clients_are_cut_off_and_busy_requests_are_not() {
    let (base, key, _dir) = start(Config {
        read_timeout: Duration::from_millis(300),
        rate_limit: 0,
        ..Config::default()
    });
    // Half a request's headers, then nothing.
    let mut slow = TcpStream::connect(addr(&base)).unwrap();
    slow.write_all(b"GET /api/v1/imports HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let (took, _) = until_closed(&mut slow, Duration::from_secs(10));
    assert!(took < Duration::from_secs(5), "cut off after {took:?}");
    // A request, then an idle keep-alive connection: answered, then closed.
    let mut idle = TcpStream::connect(addr(&base)).unwrap();
    idle.write_all(b"GET /api/v1/imports HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let (took, got) = until_closed(&mut idle, Duration::from_secs(10));
    assert!(
        String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    assert!(
        took < Duration::from_secs(5),
        "idle connection closed after {took:?}"
    );
    // A body that stops coming: the request fails, the connection ends.
    let mut stalled = TcpStream::connect(addr(&base)).unwrap();
    stalled
        .write_all(
            format!(
                "POST /ir/direct-manual/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"meta\":"
            )
            .as_bytes(),
        )
        .unwrap();
    let (took, got) = until_closed(&mut stalled, Duration::from_secs(10));
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
    // A request whose handling takes longer than the timeout is answered.
    let file = big_batch_manual(30_000);
    let (ct, body) = common::multipart(
        &[("importType", "file/batch-manual")],
        &[("scoreData", "big.json", &file)],
    );
    let t = Instant::now();
    let (status, doc) = common::answer(
        common::agent()
            .post(format!("{base}/api/v1/import/file"))
            .header("Authorization", format!("Bearer {key}"))
            .header("Content-Type", ct)
            .send(&body[..]),
    );
    assert_eq!(status, 200, "{doc}");
    eprintln!(
        "a {}-byte import answered after {:?}",
        body.len(),
        t.elapsed()
    );
}

#[test]
fn connections_beyond_the_cap_wait_for_a_free_one() {
    let (base, _key, _dir) = start(Config {
        max_connections: 2,
        read_timeout: Duration::from_secs(20),
        ..Config::default()
    });
    let a = TcpStream::connect(addr(&base)).unwrap();
    let _b = TcpStream::connect(addr(&base)).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let mut c = TcpStream::connect(addr(&base)).unwrap();
    c.write_all(b"GET /api/v1/imports HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    // Both slots are held: no answer yet.
    let (_, got) = until_closed(&mut c, Duration::from_millis(500));
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    // One connection goes: the waiting one is served.
    drop(a);
    let (_, got) = until_closed(&mut c, Duration::from_secs(10));
    assert!(
        String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

/// One request written raw; the status and the body of the answer.
fn raw_request(base: &str, head: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr(base)).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let (_, got) = until_closed(&mut s, Duration::from_secs(5));
    let text = String::from_utf8_lossy(&got).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn too_many_or_too_large_headers_get_431_in_tachis_envelope() {
    let (base, _key, _dir) = start(Config::default());
    // 150 headers (the limit is 100).
    let mut head = String::from("GET /api/v1/imports HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for i in 0..150 {
        head.push_str(&format!("X-Pad-{i}: 1\r\n"));
    }
    head.push_str("\r\n");
    let (status, body) = raw_request(&base, &head);
    assert_eq!(status, 431, "{body}");
    let v: serde_json::Value = serde_json::from_str(body.trim()).expect("a JSON body");
    assert_eq!(v["success"], false);
    assert!(
        v["description"].as_str().unwrap().contains("100 headers"),
        "{v}"
    );
    // One 20 KiB header (the limit is 16 KiB in all).
    let head = format!(
        "GET /api/v1/imports HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    let (status, body) = raw_request(&base, &head);
    assert_eq!(status, 431, "{body}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(body.trim()).expect("JSON")["success"],
        false
    );
    // Within the limits: served.
    let (status, _) = raw_request(
        &base,
        "GET /api/v1/imports HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: 1\r\n\r\n",
    );
    assert_eq!(status, 200);
}
