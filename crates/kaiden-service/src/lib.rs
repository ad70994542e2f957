//! What a server needs of its store beyond imports: users' API keys and a
//! durable queue of imports for the external processor.
//!
//! ```text
//! ServiceStore
//!   ├─ api_key(hash)            who sends this Bearer token, with which permissions
//!   ├─ enqueue_import(job)      the upload, stored durably before the 202
//!   ├─ claim_import(lease)      a worker takes the oldest due job (or one whose
//!   │                           lease ran out: its worker died)
//!   ├─ requeue_import(id, ..)   the user's lock was held: try again later
//!   ├─ fail_import / complete_import
//!   ├─ import_state(id)         what poll-status reports
//!   ├─ recover_imports()        at start-up: jobs a dead process had claimed
//!   └─ import_view(id)          GET /api/v1/imports/{id}
//! ```
//!
//! A job is complete exactly when its ImportDocument exists: a host stores the
//! document and marks the job in one transaction, and a worker that claims a
//! job whose document already exists only marks it.
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::future::Future;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use kaiden_core::host::HostError;
use kaiden_core::import_type::ImportType;
use kaiden_core::score::UserId;

/// The permissions an API key can carry (Tachi's names).
pub const PERMISSIONS: &[&str] = &[
    "submit_score",
    "delete_score",
    "customise_profile",
    "customise_score",
    "customise_session",
    "manage_targets",
    "manage_rivals",
    "manage_challenges",
];

/// How a token is stored: lowercase hex of its SHA-256, so a leaked database
/// does not leak usable keys.
#[must_use]
pub fn hash_api_key(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Checks that every permission is one of [`PERMISSIONS`] (a host calls it
/// before storing a new key).
pub fn check_permissions(permissions: &[String]) -> Result<(), HostError> {
    match permissions
        .iter()
        .find(|p| !PERMISSIONS.contains(&p.as_str()))
    {
        Some(bad) => Err(HostError::Storage(format!(
            "unknown permission {bad:?} (expected any of {})",
            PERMISSIONS.join(", ")
        ))),
        None => Ok(()),
    }
}

/// A new API token: 20 random bytes as 40 lowercase hex characters.
pub fn new_api_token() -> Result<String, HostError> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)
        .map_err(|e| HostError::Storage(format!("no randomness available: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// An API key's owner and permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The user the key acts for.
    pub user: UserId,
    /// Its permissions, e.g. `submit_score`.
    pub permissions: Vec<String>,
}

impl ApiKey {
    /// Whether the key carries `permission`.
    #[must_use]
    pub fn allows(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }
}

/// An import waiting for a worker: everything the pipeline needs, stored
/// durably (the upload's bytes included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedImport {
    /// The importID the client polls.
    pub import_id: String,
    /// The importing user.
    pub user: UserId,
    /// `X-User-Intent`.
    pub user_intent: bool,
    /// The import type.
    pub import_type: ImportType,
    /// The file or body.
    pub input: Vec<u8>,
    /// The uploaded file's name.
    pub filename: Option<String>,
    /// Form fields.
    pub fields: BTreeMap<String, String>,
    /// Headers that change parsing (lowercased names).
    pub headers: BTreeMap<String, String>,
    /// Times a worker has claimed it (a crash mid-import shows as a claim
    /// that never finished).
    pub runs: u32,
    /// Times it was put back because the user's import lock was held.
    pub lock_retries: u32,
}

/// An import that ended with a fatal error: Tachi's import tracker of type
/// `FAILED` (`GET /api/v1/users/{id}/imports/failed`). Queued imports that
/// failed and imports run in a request or by the CLI that failed are kept
/// alike ([`ServiceStore::record_failed_import`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedImport {
    /// Always `FAILED`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The import's id (its poll-status answers the error).
    #[serde(rename = "importID")]
    pub import_id: String,
    /// The importing user.
    #[serde(rename = "userID")]
    pub user_id: UserId,
    /// The import type.
    pub import_type: ImportType,
    /// `X-User-Intent`.
    pub user_intent: bool,
    /// When it was submitted (ms since the epoch).
    pub time_started: i64,
    /// What went wrong.
    pub error: FailedImportError,
}

/// The error of a [`FailedImport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedImportError {
    /// The error's description, as the import's answer said it.
    pub message: String,
    /// The HTTP status the import answered with.
    pub status_code: u16,
}

impl FailedImport {
    /// A failed import.
    #[must_use]
    pub fn new(
        import_id: String,
        user_id: UserId,
        import_type: ImportType,
        user_intent: bool,
        time_started: i64,
        status_code: u16,
        message: String,
    ) -> Self {
        FailedImport {
            kind: "FAILED",
            import_id,
            user_id,
            import_type,
            user_intent,
            time_started,
            error: FailedImportError {
                message,
                status_code,
            },
        }
    }
}

/// How many failed imports a listing returns at most.
pub const FAILED_LIST_LIMIT: usize = 500;

/// Where a queued import is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportState {
    /// Waiting for a worker.
    Queued,
    /// A worker runs it.
    Running,
    /// Done; the ImportDocument is stored.
    Completed,
    /// Ended with a fatal error.
    Failed {
        /// The HTTP status of the error.
        status: u16,
        /// The error's description.
        message: String,
    },
}

/// Which stored imports a listing wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportFilter {
    /// Only this user's.
    pub user: Option<UserId>,
    /// Only of this import type.
    pub import_type: Option<ImportType>,
    /// Only with (or without) user intent.
    pub user_intent: Option<bool>,
    /// Only those listed after this import (a page's cursor: the last
    /// importID of the page before). An unknown importID lists nothing.
    pub after: Option<String>,
}

/// The store behind a server: API keys and the import queue. Like
/// [`Host`](kaiden_core::host::Host), every method returns a `Send` future.
pub trait ServiceStore: Send + Sync {
    /// The key whose token hashes to `token_hash` ([`hash_api_key`]).
    fn api_key(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<ApiKey>, HostError>> + Send;

    /// Stores a new job (queued, due now).
    fn enqueue_import(
        &self,
        job: &QueuedImport,
    ) -> impl Future<Output = Result<(), HostError>> + Send;

    /// Takes the oldest due job: queued and due, or running with its lease
    /// run out. The job's lease lasts `lease_ms` from now.
    fn claim_import(
        &self,
        lease_ms: i64,
    ) -> impl Future<Output = Result<Option<QueuedImport>, HostError>> + Send;

    /// [`ServiceStore::enqueue_import`] with the job's bytes read from
    /// `input` (`len` bytes; `job.input` is not used), so a host that can
    /// store them in pieces never holds a large upload whole. By default the
    /// bytes are read into memory and queued as `enqueue_import` does.
    fn enqueue_import_from<'a>(
        &'a self,
        job: &'a QueuedImport,
        input: &'a mut (dyn std::io::Read + Send),
        len: u64,
    ) -> impl Future<Output = Result<(), HostError>> + Send + 'a {
        async move {
            let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            input
                .read_to_end(&mut bytes)
                .map_err(|e| HostError::Storage(format!("reading the upload: {e}")))?;
            let job = QueuedImport {
                input: bytes,
                ..job.clone()
            };
            self.enqueue_import(&job).await
        }
    }

    /// [`ServiceStore::claim_import`] with the job's bytes written to `sink`
    /// (the returned job's `input` is empty), so a host that reads them in
    /// pieces never holds a large upload whole. By default the job is claimed
    /// as `claim_import` does and its bytes written out.
    fn claim_import_into<'a>(
        &'a self,
        lease_ms: i64,
        sink: &'a mut (dyn std::io::Write + Send),
    ) -> impl Future<Output = Result<Option<QueuedImport>, HostError>> + Send + 'a {
        async move {
            let Some(mut job) = self.claim_import(lease_ms).await? else {
                return Ok(None);
            };
            sink.write_all(&std::mem::take(&mut job.input))
                .map_err(|e| HostError::Storage(format!("writing the upload: {e}")))?;
            Ok(Some(job))
        }
    }

    /// Puts a claimed job back, due in `delay_ms`, with one more lock retry.
    fn requeue_import(
        &self,
        import_id: &str,
        delay_ms: i64,
    ) -> impl Future<Output = Result<(), HostError>> + Send;

    /// Ends a job with a fatal error.
    fn fail_import(
        &self,
        import_id: &str,
        status: u16,
        message: &str,
    ) -> impl Future<Output = Result<(), HostError>> + Send;

    /// Keeps an import that failed without going through the queue (run in
    /// a request or by the CLI): a job in the failed state with `status` and
    /// `message`, its input not kept, so its poll-status answers the error
    /// and [`failed_imports`](Self::failed_imports) lists it.
    fn record_failed_import(
        &self,
        job: &QueuedImport,
        status: u16,
        message: &str,
    ) -> impl Future<Output = Result<(), HostError>> + Send;

    /// Imports that failed (queued or not), newest first, of `user` or of
    /// everyone, at most `limit`.
    fn failed_imports(
        &self,
        user: Option<UserId>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<FailedImport>, HostError>> + Send;

    /// Marks a job complete (its ImportDocument exists).
    fn complete_import(
        &self,
        import_id: &str,
    ) -> impl Future<Output = Result<(), HostError>> + Send;

    /// A job's state; `None` when no job has that id.
    fn import_state(
        &self,
        import_id: &str,
    ) -> impl Future<Output = Result<Option<ImportState>, HostError>> + Send;

    /// Resolves when another process may have queued a job: a store shared
    /// by several processes signals it (PostgreSQL's `NOTIFY`), and an idle
    /// worker waits on it beside its own poll interval. By default it never
    /// resolves (a worker then finds other processes' jobs by polling).
    fn jobs_queued_elsewhere(&self) -> impl Future<Output = ()> + Send {
        std::future::pending()
    }

    /// Called once when a server starts: jobs that a process which no longer
    /// runs had claimed become due again. Returns how many. A host shared by
    /// several processes may leave this to leases.
    fn recover_imports(&self) -> impl Future<Output = Result<u64, HostError>> + Send;

    /// The newest ImportDocuments (by `timeFinished`) that `filter` admits, at
    /// most `limit`, as stored.
    fn imports(
        &self,
        filter: &ImportFilter,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<serde_json::Value>, HostError>> + Send;

    /// `{id, username}` of each of these users that exists.
    fn users(
        &self,
        ids: &[UserId],
    ) -> impl Future<Output = Result<Vec<serde_json::Value>, HostError>> + Send;

    /// `GET /api/v1/imports/{id}`'s body: `{scores, songs, charts, sessions,
    /// import, user}`; `None` when there is no such import.
    fn import_view(
        &self,
        import_id: &str,
    ) -> impl Future<Output = Result<Option<serde_json::Value>, HostError>> + Send;
    /// Every player's PB on a chart (Tachi's PB documents), best first by the
    /// chart's ranking (`rankingData.rank`), for the hooks' leaderboards.
    fn chart_pbs(
        &self,
        chart_id: &str,
    ) -> impl Future<Output = Result<Vec<serde_json::Value>, HostError>> + Send;
    /// Stored scores by scoreID, read outside any import (unknown ids are
    /// left out).
    fn scores_by_id(
        &self,
        score_ids: &[String],
    ) -> impl Future<Output = Result<Vec<serde_json::Value>, HostError>> + Send;
    /// Stores (or replaces) the replay file of a score.
    fn put_replay(
        &self,
        score_id: &str,
        bytes: &[u8],
    ) -> impl Future<Output = Result<(), HostError>> + Send;
    /// A score's replay file, if one was stored.
    fn replay(
        &self,
        score_id: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, HostError>> + Send;
}

/// A user's OAuth tokens at a KAI service (FLO, EAG, MIN).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KaiTokens {
    /// The bearer token for API calls.
    pub access_token: String,
    /// The token that buys a new pair (services rotate it on every use).
    pub refresh_token: String,
}

impl std::fmt::Debug for KaiTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets stay out of logs.
        f.write_str("KaiTokens { .. }")
    }
}

/// A user's card at a CG service (Tachi's `cg-card-info`): the card id and
/// PIN the service's API takes for the user's scores.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CgCard {
    /// The card id.
    pub card_id: String,
    /// The card's PIN.
    pub pin: String,
}

impl std::fmt::Debug for CgCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The PIN stays out of logs.
        f.debug_struct("CgCard")
            .field("card_id", &self.card_id)
            .finish_non_exhaustive()
    }
}

/// A user's settings for a score hook (Tachi's `fer-settings` and
/// `kshook-sv6c-settings` collections).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HookSettings {
    /// The card ids the hook may submit from (`X-Account-Id`); `None`: any.
    pub cards: Option<Vec<String>>,
    /// Import the next static export (fervidex's profile submit, kshook's
    /// export). One-shot: the route clears it as it honours it.
    pub force_static_import: bool,
}

/// Per-user score-hook settings: what the hook routes check before an import.
/// Synchronous, like [`IntegrationStore`]; kept outside the import's write lock.
pub trait HookStore: Send + Sync {
    /// The user's settings for `hook` (`fervidex`, `kshook-sv6c`); the
    /// defaults when none are stored.
    fn hook_settings(&self, user: UserId, hook: &str) -> Result<HookSettings, HostError>;
    /// Replaces the user's settings for `hook`.
    fn put_hook_settings(
        &self,
        user: UserId,
        hook: &str,
        settings: &HookSettings,
    ) -> Result<(), HostError>;
    /// Whether `force_static_import` was set, clearing it in the same step:
    /// of two requests at once, only one sees `true`.
    fn take_force_static_import(&self, user: UserId, hook: &str) -> Result<bool, HostError>;
}

/// The hooks with per-user settings.
pub const HOOKS_WITH_SETTINGS: [&str; 2] = ["fervidex", "kshook-sv6c"];

/// Per-user credentials for third-party score services, read and written by
/// API import types while they pull.
///
/// Synchronous, since record streams are: a host with an async database
/// bridges it. Writes must not wait for a running import's transaction (an
/// API import stores rotated tokens mid-import, and they must survive the
/// import failing), so keep them outside the import's write lock.
pub trait IntegrationStore: Send + Sync {
    /// The user's tokens at `service` (`FLO`, `EAG`, `MIN`).
    fn kai_tokens(&self, user: UserId, service: &str) -> Result<Option<KaiTokens>, HostError>;
    /// Replaces the user's tokens at `service`.
    fn put_kai_tokens(
        &self,
        user: UserId,
        service: &str,
        tokens: &KaiTokens,
    ) -> Result<(), HostError>;
    /// The user's card at a CG service (`CG-DEV`, `CG-GAN`, `CG-NAG`).
    fn cg_card(&self, user: UserId, service: &str) -> Result<Option<CgCard>, HostError>;
    /// Replaces the user's card at a CG service.
    fn put_cg_card(&self, user: UserId, service: &str, card: &CgCard) -> Result<(), HostError>;
    /// The user's card access code at MYT (Tachi's `myt-card-info`): 20
    /// digits, checked by [`check_myt_access_code`] before it is stored.
    fn myt_card(&self, user: UserId) -> Result<Option<String>, HostError>;
    /// Replaces the user's card access code at MYT.
    fn put_myt_card(&self, user: UserId, access_code: &str) -> Result<(), HostError>;
}

/// A store of no credentials: every user has none, and nothing can be
/// stored. For what converts records without syncing (benchmarks, fuzzing,
/// `kaiden check`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIntegrations;

impl NoIntegrations {
    fn refuse() -> HostError {
        HostError::Storage("this store keeps no credentials".to_owned())
    }
}

impl IntegrationStore for NoIntegrations {
    fn kai_tokens(&self, _: UserId, _: &str) -> Result<Option<KaiTokens>, HostError> {
        Ok(None)
    }
    fn put_kai_tokens(&self, _: UserId, _: &str, _: &KaiTokens) -> Result<(), HostError> {
        Err(Self::refuse())
    }
    fn cg_card(&self, _: UserId, _: &str) -> Result<Option<CgCard>, HostError> {
        Ok(None)
    }
    fn put_cg_card(&self, _: UserId, _: &str, _: &CgCard) -> Result<(), HostError> {
        Err(Self::refuse())
    }
    fn myt_card(&self, _: UserId) -> Result<Option<String>, HostError> {
        Ok(None)
    }
    fn put_myt_card(&self, _: UserId, _: &str) -> Result<(), HostError> {
        Err(Self::refuse())
    }
}

/// Whether `code` is a MYT card access code (exactly 20 ASCII digits, as
/// Tachi's integration route demands); the error is Tachi's words.
///
/// # Errors
/// `Expected 20 digits.` for anything else.
pub fn check_myt_access_code(code: &str) -> Result<(), &'static str> {
    if code.len() == 20 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("Expected 20 digits.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn myt_access_codes_are_twenty_digits() {
        assert_eq!(check_myt_access_code("01234567890123456789"), Ok(()));
        for bad in [
            "0123456789012345678",
            "012345678901234567890",
            "0123456789012345678x",
            "０1234567890123456789",
            "",
        ] {
            assert_eq!(
                check_myt_access_code(bad),
                Err("Expected 20 digits."),
                "{bad}"
            );
        }
    }

    #[test]
    fn api_keys_are_stored_as_sha256_hex() {
        // sha256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            hash_api_key("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn permissions_are_checked_by_name() {
        let k = ApiKey {
            user: 1,
            permissions: vec!["submit_score".into()],
        };
        assert!(k.allows("submit_score"));
        assert!(!k.allows("delete_score"));
    }
}
