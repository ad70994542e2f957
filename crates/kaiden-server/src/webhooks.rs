//! Webhooks: the events of committed imports (`kaiden_pipeline::events`,
//! Tachi's payloads) POSTed to the configured URLs, never blocking an import.
//!
//! Each event is queued (a bounded queue; when it is full the event is
//! dropped and logged) and delivered by one thread of its own, one request
//! per URL, with Tachi's `Authorization: Bearer <secret>`, the event's type
//! in `X-Kaiden-Event` and an HMAC-SHA256 of the body under the secret in
//! `X-Kaiden-Signature: sha256=<hex>`. A delivery that fails (no answer, a
//! 5xx or 429) is tried again after `backoff × 2^n`, up to `tries` times.

use std::sync::mpsc;
use std::time::Duration;

use kaiden::pipeline::{ImportEvent, ImportObserver};
use sha2::{Digest, Sha256};

/// Where events go.
#[derive(Clone)]
pub struct Webhook {
    /// The URL the events are POSTed to.
    pub url: String,
    /// The shared secret: sent as the bearer token (as Tachi does) and the
    /// key of the body's signature.
    pub secret: String,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Events waiting for delivery at most; more are dropped.
const QUEUE: usize = 1024;

struct Delivery {
    hook: Webhook,
    kind: &'static str,
    body: String,
}

/// The observer the server hands to the pipeline: it queues each event for
/// each webhook and returns at once.
#[derive(Debug)]
pub(crate) struct Webhooks {
    hooks: Vec<Webhook>,
    queue: Option<mpsc::SyncSender<Delivery>>,
}

impl Webhooks {
    /// Starts the delivery thread, when there are webhooks.
    pub(crate) fn start(hooks: Vec<Webhook>, tries: u32, backoff: Duration) -> Webhooks {
        if hooks.is_empty() {
            return Webhooks { hooks, queue: None };
        }
        let (tx, rx) = mpsc::sync_channel::<Delivery>(QUEUE);
        let started = std::thread::Builder::new()
            .name("kaiden-webhooks".into())
            .spawn(move || deliver_all(&rx, tries.max(1), backoff));
        if let Err(e) = started {
            tracing::error!(error = %e, "the webhook thread did not start: events are not delivered");
            return Webhooks { hooks, queue: None };
        }
        Webhooks {
            hooks,
            queue: Some(tx),
        }
    }
}

impl ImportObserver for Webhooks {
    fn observe(&self, event: &ImportEvent) {
        let Some(queue) = &self.queue else { return };
        let body = match serde_json::to_string(event) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "an event could not be written");
                return;
            }
        };
        for hook in &self.hooks {
            let d = Delivery {
                hook: hook.clone(),
                kind: event.kind(),
                body: body.clone(),
            };
            if queue.try_send(d).is_err() {
                tracing::warn!(event = event.kind(), url = %hook.url, "webhook queue full: event dropped");
            }
        }
    }
}

fn deliver_all(rx: &mpsc::Receiver<Delivery>, tries: u32, backoff: Duration) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    while let Ok(d) = rx.recv() {
        let signature = format!(
            "sha256={}",
            hex(&hmac_sha256(d.hook.secret.as_bytes(), d.body.as_bytes()))
        );
        for attempt in 0..tries {
            let sent = agent
                .post(&d.hook.url)
                .header("Content-Type", "application/json")
                .header("Authorization", format!("Bearer {}", d.hook.secret))
                .header("X-Kaiden-Event", d.kind)
                .header("X-Kaiden-Signature", &signature)
                .send(d.body.as_bytes());
            let retry = match &sent {
                Ok(r) => {
                    let s = r.status().as_u16();
                    s == 429 || s >= 500
                }
                Err(_) => true,
            };
            if !retry {
                break;
            }
            if attempt + 1 == tries {
                tracing::warn!(event = d.kind, url = %d.hook.url, tries, "webhook not delivered");
                break;
            }
            std::thread::sleep(backoff.saturating_mul(1 << attempt.min(16)));
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
#[must_use]
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

/// The `X-Kaiden-Signature` value of `body` under `secret` (for receivers
/// and tests).
#[must_use]
pub fn signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hex(&hmac_sha256(secret.as_bytes(), body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test cases 2 and 6 (a key longer than the block).
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
