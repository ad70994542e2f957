//! The `kaiden` command.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use kaiden::core::format::ImportInput;
use kaiden::core::{ImportError, ImportType};
use kaiden::pipeline::{self, ImportProgress, ImportRequest, NoProgress, Progress};
use kaiden_postgres::PgHost;
use kaiden_sqlite::SqliteHost;

mod store;
use store::Store;

#[derive(Parser)]
#[command(
    name = "kaiden",
    version,
    about = "Tachi-compatible score imports on an embedded SQLite database or on PostgreSQL"
)]
struct Cli {
    /// The database: a SQLite file (created if missing), or a PostgreSQL
    /// database as a postgres:// URL (its tables are created on first use;
    /// KAIDEN_PG_SCHEMA picks a schema other than public).
    #[arg(long, global = true, default_value = "kaiden.db")]
    db: String,
    /// The page cache of each SQLite connection, in MiB (at least 1): most
    /// of a server's memory after large imports. Smaller is slower for them.
    #[arg(long, global = true, default_value_t = 64, value_name = "MIB")]
    sqlite_cache_mib: u32,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tachi seed files (songs, charts, folders, goals, quests).
    Seeds {
        #[command(subcommand)]
        command: SeedsCommand,
    },
    /// The import types this build serves (file, score hook and API), one per line.
    Types,
    /// Import a score file; prints the ImportDocument as JSON.
    Import {
        #[command(flatten)]
        source: Source,
        /// The importing user (created on first use).
        #[arg(long, default_value_t = 1)]
        user: u64,
        /// Mark the import as asked for by the user (X-User-Intent).
        #[arg(long)]
        intent: bool,
        /// Load this Tachi seeds folder first (as `kaiden seeds load`).
        #[arg(long, value_name = "DIR")]
        seeds: Option<PathBuf>,
    },
    /// Dry run: parse, convert and resolve without writing; per-record outcomes.
    Check {
        #[command(flatten)]
        source: Source,
        /// Print the report as JSON (written as each record is decided).
        #[arg(long)]
        json: bool,
        /// Print only the totals.
        #[arg(long)]
        summary: bool,
        /// The importing user (API imports read this user's tokens).
        #[arg(long, default_value_t = 1)]
        user: u64,
    },
    /// Export a user's scores as BATCH-MANUAL JSON (one document per game+playtype,
    /// and per version where a chart needs one), which imported for the same
    /// user with the same seeds gives the same scoreIDs.
    Export {
        /// The user.
        #[arg(long)]
        user: u64,
        /// Only this game's scores.
        #[arg(long)]
        game: Option<String>,
        /// Only this playtype's scores (with --game).
        #[arg(long, requires = "game")]
        playtype: Option<String>,
        /// Write each document into this folder as <game>-<playtype>[-<version>].json
        /// instead of printing the one document to stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Re-process a user's orphaned scores.
    Orphans {
        /// The user.
        #[arg(long, default_value_t = 1)]
        user: u64,
    },
    /// Stored imports.
    Imports {
        #[command(subcommand)]
        command: ImportsCommand,
    },
    /// Stored scores.
    Scores {
        #[command(subcommand)]
        command: ScoresCommand,
    },
    /// Goal subscriptions.
    Goals {
        #[command(subcommand)]
        command: SubscribeCommand,
    },
    /// Quest subscriptions (subscribing to a quest subscribes to its goals).
    Quests {
        #[command(subcommand)]
        command: SubscribeCommand,
    },
    /// Pull a user's scores from a score service (api/flo-iidx, ...); prints the ImportDocument.
    Sync {
        /// The API import type, e.g. api/flo-iidx (`kaiden types` lists them).
        #[arg(long = "type")]
        import_type: String,
        /// The user (their tokens: `kaiden integrations set`).
        #[arg(long, default_value_t = 1)]
        user: u64,
        /// Mark the import as asked for by the user (X-User-Intent).
        #[arg(long)]
        intent: bool,
    },
    /// A user's credentials at third-party score services.
    Integrations {
        #[command(subcommand)]
        command: IntegrationsCommand,
    },
    /// A user's score-hook settings (fervidex, kshook-sv6c).
    Hooks {
        #[command(subcommand)]
        command: HooksCommand,
    },
    /// Serve Tachi's import endpoints over HTTP (see kaiden-server).
    Serve(ServeArgs),
    /// Run queued imports without serving HTTP: the external processor's
    /// workers, for `serve --processor external --workers 0` front ends on
    /// the same database (PostgreSQL: any number of processes).
    Worker(WorkerArgs),
    /// Users.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// API keys (`Authorization: Bearer KEY` on the server).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    /// Where imports run: in the request, or in workers fed by a durable queue.
    #[arg(long, value_enum, default_value_t = ProcessorArg::Internal)]
    processor: ProcessorArg,
    /// Workers in external mode (0: only queue; another process works).
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// File and direct-manual imports per API key per minute (0: no limit).
    #[arg(long, default_value_t = 5)]
    rate_limit: u32,
    /// The largest uploaded file, in MiB.
    #[arg(long, default_value_t = 16)]
    file_limit_mib: usize,
    /// The public URL prefix of poll-status links (default: the address bound; never the request's Host).
    #[arg(long)]
    public_url: Option<String>,
    /// Base of the backoff before retrying a queued import whose user is locked, in ms.
    #[arg(long, default_value_t = 1000)]
    lock_backoff_ms: u64,
    /// Load this Tachi seeds folder first.
    #[arg(long, value_name = "DIR")]
    seeds: Option<PathBuf>,
    /// Distinct players whose beatoraja scores on a chart the seeds lack
    /// create it (Tachi's BEATORAJA_QUEUE_SIZE).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    chart_queue_size: u16,
    /// Seconds to wait for a request's head (from when waiting starts: idle
    /// connections too) and for each part of its body.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    read_timeout_secs: u64,
    /// Connections served at once; more wait to be accepted.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: u64,
    /// A URL the events of committed imports are POSTed to (class-update/v1,
    /// goals-achieved/v1, quest-achieved/v1, import-finished/v1; repeat for
    /// more), signed with --webhook-secret.
    #[arg(long = "webhook")]
    webhooks: Vec<String>,
    /// The webhooks' shared secret (the bearer token, and the key of the
    /// X-Kaiden-Signature HMAC-SHA256); also read from KAIDEN_WEBHOOK_SECRET.
    #[arg(long)]
    webhook_secret: Option<String>,
}

#[derive(clap::Args)]
struct WorkerArgs {
    /// Imports run at once by this process.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    workers: u64,
    /// Base of the backoff before retrying a queued import whose user is locked, in ms.
    #[arg(long, default_value_t = 1000)]
    lock_backoff_ms: u64,
    /// Distinct players whose beatoraja scores on a chart the seeds lack
    /// create it (Tachi's BEATORAJA_QUEUE_SIZE).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    chart_queue_size: u16,
    /// How often an idle worker looks for jobs other processes queued, in ms.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    poll_interval_ms: u64,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ProcessorArg {
    Internal,
    External,
}

#[derive(Subcommand)]
enum IntegrationsCommand {
    /// Store a user's OAuth tokens at a KAI service (FLO, EAG or MIN), their
    /// card at a CG service (CG-DEV, CG-GAN or CG-NAG), or their card's
    /// access code at MYT.
    Set {
        /// The user.
        #[arg(long)]
        user: u64,
        /// FLO, EAG, MIN, CG-DEV, CG-GAN, CG-NAG or MYT.
        #[arg(long)]
        service: String,
        /// The access token (KAI).
        #[arg(long)]
        token: Option<String>,
        /// The refresh token (KAI).
        #[arg(long)]
        refresh_token: Option<String>,
        /// The card id (CG).
        #[arg(long)]
        card_id: Option<String>,
        /// The card's PIN (CG).
        #[arg(long)]
        pin: Option<String>,
        /// The card's access code, 20 digits (MYT).
        #[arg(long)]
        access_code: Option<String>,
    },
}

#[derive(Subcommand)]
enum HooksCommand {
    /// Change a user's settings for a hook; unnamed settings keep their value.
    Set {
        /// The user.
        #[arg(long)]
        user: u64,
        /// `fervidex` or `kshook-sv6c`.
        #[arg(long)]
        hook: String,
        /// The card ids fervidex may submit from (comma-separated); `any` lifts the filter.
        #[arg(long)]
        cards: Option<String>,
        /// Import the next static export (fervidex profile, kshook export) once.
        #[arg(long)]
        force_static_import: Option<bool>,
    },
    /// Print a user's settings for a hook as JSON.
    Show {
        /// The user.
        #[arg(long)]
        user: u64,
        /// `fervidex` or `kshook-sv6c`.
        #[arg(long)]
        hook: String,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Add a user; prints its id.
    Add {
        /// The user's name.
        name: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create an API key; prints it (only its hash is stored).
    Create {
        /// The user the key acts for.
        #[arg(long)]
        user: u64,
        /// A permission, e.g. submit_score (repeatable).
        #[arg(long = "permission", required = true)]
        permissions: Vec<String>,
    },
    /// List a user's keys (id: the start of the key's SHA-256; permissions; created).
    List {
        /// The user.
        #[arg(long)]
        user: u64,
    },
    /// Revoke a key, given as the key itself or the id `keys list` shows.
    Revoke {
        /// The key, or its id.
        key: String,
    },
}

#[derive(Subcommand)]
enum SeedsCommand {
    /// Load a folder of Tachi seed files; prints counts per game.
    Load {
        /// The folder.
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportsCommand {
    /// Print a stored ImportDocument.
    Show {
        /// The importID.
        id: String,
    },
    /// Revert an import: delete exactly the scores it stored (its user's PBs,
    /// sessions, ratings, goals are restored from what is left) and its
    /// ImportDocument. Prints what changed.
    Revert {
        /// The importID.
        id: String,
    },
    /// Print a user's ImportDocuments, oldest first, as a JSON array.
    List {
        /// The user.
        #[arg(long, default_value_t = 1)]
        user: u64,
        /// The user's imports that failed instead (newest first, at most 500):
        /// Tachi's failed import trackers, each with its error.
        #[arg(long)]
        failed: bool,
    },
}

#[derive(Subcommand)]
enum ScoresCommand {
    /// Delete a user's scores: their PBs are rebuilt from the scores left,
    /// sessions shrink or go, ratings, classes, goals and quests follow, in
    /// one transaction. Prints what changed.
    Delete {
        /// The scoreIDs.
        #[arg(required = true)]
        ids: Vec<String>,
        /// The user whose scores they are.
        #[arg(long, default_value_t = 1)]
        user: u64,
        /// Never import these scores again for the user.
        #[arg(long)]
        blacklist: bool,
    },
}

#[derive(Subcommand)]
enum SubscribeCommand {
    /// Subscribe a user.
    Subscribe {
        /// The goalID or questID.
        id: String,
        /// The user (created on first use).
        #[arg(long, default_value_t = 1)]
        user: u64,
    },
}

#[derive(clap::Args)]
struct Source {
    /// The import type, e.g. file/batch-manual (`kaiden types` lists them).
    #[arg(long = "type")]
    import_type: String,
    /// The playtype, for formats that need one (Tachi's `playtype` form field).
    #[arg(long)]
    playtype: Option<String>,
    /// Any other form field, as NAME=VALUE (e.g. assertPlaytypeCorrect=true).
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
    /// The file.
    file: PathBuf,
}

/// Records per batch handed to the report's writer thread.
const REPORT_BATCH: usize = 1024;

/// `kaiden check`'s report, written on a thread of its own.
struct ReportWriter {
    tx: Option<std::sync::mpsc::SyncSender<Vec<kaiden::pipeline::CheckOutcome>>>,
    thread: std::thread::JoinHandle<std::io::Result<(std::io::BufWriter<std::io::Stdout>, bool)>>,
}

impl ReportWriter {
    /// Starts the writer: JSON records or lines (nothing with `summary`).
    fn start(json: bool, summary: bool) -> Result<Self, String> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<kaiden::pipeline::CheckOutcome>>(4);
        let writer = std::thread::Builder::new().name("kaiden-report".into());
        let thread = writer.spawn(move || {
            use std::io::Write as _;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
            let mut first = true;
            if json {
                out.write_all(b"{\"records\": [")?;
            }
            for batch in rx {
                if summary {
                    continue;
                }
                for r in batch {
                    if json {
                        if !first {
                            out.write_all(b",")?;
                        }
                        out.write_all(b"\n  ")?;
                        serde_json::to_writer(&mut out, &r)?;
                    } else {
                        // Written in pieces, without formatting machinery:
                        // no line is built in memory first.
                        match &r.position {
                            Some(p) => p.write_to(&mut out)?,
                            None => kaiden::core::error::Position::default()
                                .with_record(r.record)
                                .write_to(&mut out)?,
                        }
                        out.write_all(b": ")?;
                        out.write_all(r.outcome.as_bytes())?;
                        out.write_all(b": ")?;
                        let detail = r.reason.as_deref().or(r.chart_id.as_deref()).unwrap_or("");
                        for (i, part) in detail.split('\n').enumerate() {
                            if i > 0 {
                                out.write_all(b" ")?;
                            }
                            out.write_all(part.as_bytes())?;
                        }
                        out.write_all(b"\n")?;
                    }
                    first = false;
                }
            }
            Ok((out, first))
        });
        let thread = thread.map_err(|e| format!("starting the report's writer: {e}"))?;
        Ok(ReportWriter {
            tx: Some(tx),
            thread,
        })
    }

    /// Hands a batch of records over (waits while four are queued).
    fn send(&self, batch: Vec<kaiden::pipeline::CheckOutcome>) -> Result<(), String> {
        match &self.tx {
            Some(tx) => tx
                .send(batch)
                .map_err(|_| "the report's writer stopped".to_owned()),
            None => Err("the report's writer stopped".to_owned()),
        }
    }

    /// Waits for every record to be written: the writer, and whether it
    /// wrote no record.
    fn finish(mut self) -> Result<(std::io::BufWriter<std::io::Stdout>, bool), String> {
        drop(self.tx.take());
        match self.thread.join() {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(e)) => Err(format!("writing the report: {e}")),
            Err(_) => Err("the report's writer failed".to_owned()),
        }
    }
}

/// mimalloc: the pipeline allocates many small documents; glibc's allocator
/// spent a third of an import's time in malloc/free (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Failure = String;

fn main() -> ExitCode {
    let cli = Cli::parse();
    kaiden_sqlite::set_page_cache_mib(cli.sqlite_cache_mib);
    let runtime = if matches!(cli.command, Command::Serve(_) | Command::Worker(_)) {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread().build()
    };
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = if store::is_postgres(&cli.db) {
        runtime.block_on(run::<PgHost>(cli))
    } else {
        runtime.block_on(run::<SqliteHost>(cli))
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Every import type, API ones included (KAI services from `KAIDEN_KAI_*`),
/// with the host as the store of users' third-party tokens.
/// After a seeds load: every affected user's scores on the charts it
/// changed follow them (calculated data, isPrimary, sessions, PBs, profile
/// and goals), each user in a transaction of their own; a user whose
/// recalculation fails (an import of theirs runs) is named on stderr and
/// left as they were. Returns the charts changed, scores recalculated and
/// users done.
async fn carry_scores_along<S: Store>(
    host: &S,
    report: &kaiden::core::seeds::SeedReport,
) -> (usize, usize, usize) {
    let charts: usize = report.changed_charts.values().map(Vec::len).sum();
    let (mut scores, mut users) = (0usize, 0usize);
    if charts == 0 {
        return (0, 0, 0);
    }
    for &user in &report.affected_users {
        match pipeline::recalculate_charts(host, user, &report.changed_charts).await {
            Ok(r) => {
                scores += r.scores_updated.len();
                users += 1;
            }
            Err(e) => eprintln!("user {user}'s scores were left as they were: {e}"),
        }
    }
    (charts, scores, users)
}

fn registry_for<S: Store>(host: &Arc<S>) -> pipeline::Registry {
    kaiden::registry_with_api(
        Arc::clone(host) as Arc<dyn kaiden::service::IntegrationStore>,
        kaiden::ApiConfig::from_env(),
    )
}

fn ensure_user<S: Store>(host: &S, user: u64) -> Result<(), Failure> {
    host.ensure_user(user, &format!("user{user}"))
        .map_err(|e| e.to_string())
}

/// The import type, the file (read as a stream: the formats that can read it
/// a line or an element at a time do) and the form fields of a `Source`.
type Input = (
    ImportType,
    Arc<dyn kaiden::core::format::InputStream>,
    BTreeMap<String, String>,
);

fn read_input(source: &Source, registry: &pipeline::Registry) -> Result<Input, Failure> {
    let import_type = registry
        .parse(&source.import_type)
        .map_err(|e| format!("--type: {e}"))?;
    // The IIDX CSVs hold no playtype: the flag is named, not Tachi's
    // "Invalid playtype of undefined given." (the parser's words for a form).
    let needs_playtype = [
        ImportType::FILE_EAMUSEMENT_IIDX_CSV,
        ImportType::FILE_PLI_IIDX_CSV,
    ]
    .contains(&import_type);
    let playtype = source.playtype.as_deref().or_else(|| {
        source
            .fields
            .iter()
            .find_map(|f| f.strip_prefix("playtype="))
    });
    if needs_playtype && !matches!(playtype, Some("SP" | "DP")) {
        return Err(format!(
            "--playtype must be SP or DP for {import_type} (got {})",
            playtype.map_or_else(|| "none".to_owned(), |p| format!("{p:?}"))
        ));
    }
    let stream = kaiden::core::format::FileStream::new(&source.file)
        .and_then(|s| {
            // Opened once now, so a file that cannot be read is said before
            // anything is written.
            kaiden::core::format::InputStream::open(&s)?;
            Ok(s)
        })
        .map_err(|e| format!("{}: {e}", source.file.display()))?;
    let mut fields = BTreeMap::new();
    if let Some(pt) = &source.playtype {
        fields.insert("playtype".into(), pt.clone());
    }
    for f in &source.fields {
        let (k, v) = f
            .split_once('=')
            .ok_or_else(|| format!("--field {f:?}: expected NAME=VALUE"))?;
        fields.insert(k.to_owned(), v.to_owned());
    }
    Ok((import_type, Arc::new(stream), fields))
}

/// Keeps a failed import in the store (`imports list --failed` lists it),
/// unless the lock was held (that import never began). A failure to keep it
/// is said on stderr and changes nothing else.
async fn keep_failure<S: Store>(
    host: &S,
    request: &ImportRequest<'_>,
    import_id: String,
    e: &ImportError,
) {
    if e.kind() == kaiden::core::ImportErrorKind::LockHeld {
        return;
    }
    let job = kaiden::service::QueuedImport {
        import_id,
        user: request.user,
        user_intent: request.user_intent,
        import_type: request.import_type,
        input: Vec::new(),
        filename: request.input.filename.clone(),
        fields: request.input.fields.clone(),
        headers: request.input.headers.clone(),
        runs: 1,
        lock_retries: 0,
    };
    if let Err(why) = host
        .record_failed_import(&job, e.http_status(), &e.to_string())
        .await
    {
        eprintln!("(the failed import could not be kept: {why})");
    }
}

fn file_error(file: &Path, e: ImportError) -> Failure {
    let e = if e.file().is_none() {
        e.in_file(file.display().to_string())
    } else {
        e
    };
    e.to_string()
}

/// A spinner on stderr with Tachi's progress descriptions.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn update(&self, p: &ImportProgress) {
        self.0
            .set_message(format!("{} ({} records read)", p.description(), p.records));
    }
}

fn progress_bar() -> Option<Bar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(Bar(bar))
}

/// Subscribes a user (created on first use) to a goal or quest.
fn subscribe<S: Store>(
    db: &str,
    what: &str,
    user: u64,
    id: &str,
    add: fn(&S, u64, &str) -> Result<(), kaiden::core::host::HostError>,
) -> Result<(), Failure> {
    let host = S::open(db)?;
    ensure_user(&*host, user)?;
    add(&host, user, id).map_err(|e| {
        if e.to_string().contains("no rows") {
            format!("no {what} {id} (the seeds loaded hold none by that id)")
        } else {
            format!("{what} {id}: {e}")
        }
    })?;
    println!("user {user} subscribed to {what} {id}");
    Ok(())
}

fn print_json(v: &impl serde::Serialize) -> Result<(), Failure> {
    let s = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
    println!("{s}");
    Ok(())
}

async fn run<S: Store>(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Seeds {
            command: SeedsCommand::Load { dir },
        } => {
            let names: Vec<String> = std::fs::read_dir(&dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect();
            if !names
                .iter()
                .any(|n| kaiden::core::seeds::SeedFile::of_name(n).is_some())
            {
                return Err(format!(
                    "{}: no Tachi seed files here (songs-<game>.json, charts-<game>.json, folders.json, goals.json, quests.json, bms-course-lookup.json)",
                    dir.display()
                ));
            }
            let host = S::open(&cli.db)?;
            let report = host.load_seeds(&dir)?;
            if report.courses > 0 {
                println!("bms courses: {}", report.courses);
            }
            for (game, (songs, charts)) in &report.games {
                println!("{game}: {songs} songs, {charts} charts");
            }
            println!(
                "folders: {}, goals: {}, quests: {}",
                report.folders, report.goals, report.quests
            );
            let (charts, scores, users) = carry_scores_along(&*host, &report).await;
            if charts > 0 {
                println!("changed charts: {charts}; recalculated {scores} scores of {users} users");
            }
            // Orphans whose charts the seeds now hold are imported, each
            // user's in an import of their own.
            let registry = registry_for(&host);
            let (mut imported, mut left) = (0u64, 0u64);
            for user in host.users_with_orphans().map_err(|e| e.to_string())? {
                match pipeline::reprocess_orphans(&*host, &registry, user, &NoProgress).await {
                    Ok(r) => {
                        imported += r.success;
                        left += r.failed;
                    }
                    Err(e) => eprintln!("user {user}'s orphans were left as they were: {e}"),
                }
            }
            println!("orphans: {imported} imported, {left} still orphaned");
            Ok(())
        }
        Command::Import {
            source,
            user,
            intent,
            seeds,
        } => {
            // A failed import writes nothing: a database this command created
            // is removed, and so is a user it created.
            let fresh = S::is_fresh(&cli.db);
            let host = S::open(&cli.db)?;
            let undo = |host: Arc<S>, created_user: bool| {
                if fresh {
                    drop(host);
                    S::remove_created(&cli.db);
                } else if created_user {
                    let _ = host.remove_unused_user(user);
                }
            };
            let registry = registry_for(&host);
            let (import_type, stream, fields) = match read_input(&source, &registry) {
                Ok(x) => x,
                Err(e) => {
                    drop(registry);
                    undo(host, false);
                    return Err(e);
                }
            };
            if let Some(dir) = seeds {
                match host.load_seeds(&dir) {
                    Ok(report) => {
                        carry_scores_along(&*host, &report).await;
                    }
                    Err(e) => {
                        drop(registry);
                        undo(host, false);
                        return Err(e.to_string());
                    }
                }
            }
            let created_user = !host.user_exists(user).map_err(|e| e.to_string())?;
            ensure_user(&*host, user)?;
            let import_id = pipeline::ids::new_import_id().map_err(|e| e.to_string())?;
            let request = ImportRequest {
                import_type,
                user,
                user_intent: intent,
                input: ImportInput {
                    bytes: &[],
                    stream: Some(stream),
                    filename: source
                        .file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned()),
                    fields,
                    headers: BTreeMap::new(),
                },
                import_id: Some(import_id.clone()),
            };
            let bar = progress_bar();
            let progress: &dyn Progress = match &bar {
                Some(b) => b,
                None => &NoProgress,
            };
            let kept = request.clone();
            let result = pipeline::import(&*host, &registry, request, progress).await;
            if let Some(b) = &bar {
                b.0.finish_and_clear();
            }
            let doc = match result {
                Ok(doc) => doc,
                Err(e) => {
                    // A database or user this command created goes again;
                    // in one that was there, the failure is kept.
                    if !fresh && !created_user {
                        keep_failure(&*host, &kept, import_id, &e).await;
                    }
                    drop(registry);
                    undo(host, created_user);
                    return Err(file_error(&source.file, e));
                }
            };
            print_json(&doc)?;
            if std::io::stderr().is_terminal() {
                eprintln!(
                    "imported {} scores, {} errors, {} sessions, {} class changes, {} goals updated ({})",
                    doc.score_ids.len(),
                    doc.errors.len(),
                    doc.created_sessions.len(),
                    doc.class_deltas.len(),
                    doc.goal_info.len(),
                    doc.import_id
                );
            }
            Ok(())
        }
        Command::Check {
            source,
            json,
            summary,
            user,
        } => {
            use std::io::Write as _;
            let fresh = S::is_fresh(&cli.db);
            let host = S::open(&cli.db)?;
            let registry = registry_for(&host);
            let (import_type, stream, fields) = match read_input(&source, &registry) {
                Ok(x) => x,
                Err(e) => {
                    drop(registry);
                    drop(host);
                    if fresh {
                        S::remove_created(&cli.db);
                    }
                    return Err(e);
                }
            };
            let input = ImportInput {
                bytes: &[],
                stream: Some(stream),
                filename: source
                    .file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned()),
                fields,
                headers: BTreeMap::new(),
            };
            // Each record's line is written as it is decided, through one
            // buffered writer on a thread of its own (fed a batch of records
            // at a time), so the report is written while the next records
            // are checked; memory stays flat however long the file.
            let writer = ReportWriter::start(json, summary)?;
            let mut pending: Vec<pipeline::CheckOutcome> = Vec::with_capacity(REPORT_BATCH);
            let result =
                pipeline::check_each(&*host, &registry, import_type, &input, user, &mut |r| {
                    if summary {
                        return Ok(());
                    }
                    pending.push(r);
                    if pending.len() >= REPORT_BATCH {
                        let full =
                            std::mem::replace(&mut pending, Vec::with_capacity(REPORT_BATCH));
                        writer.send(full).map_err(|e| {
                            kaiden::core::ImportError::internal(format!("writing the report: {e}"))
                        })?;
                    }
                    Ok(())
                })
                .await;
            if !pending.is_empty() {
                // A closed output is reported by `finish` below.
                let _ = writer.send(pending);
            }
            let (mut out, first) = writer.finish()?;
            let report = result.map_err(|e| file_error(&source.file, e))?;
            let totals = if json {
                format!(
                    "{}],\n  \"import\": {},\n  \"orphan\": {},\n  \"reject\": {},\n  \"skip\": {}\n}}",
                    if first { "" } else { "\n" },
                    report.import,
                    report.orphan,
                    report.reject,
                    report.skip
                )
            } else {
                format!(
                    "{} would be imported, {} orphaned, {} rejected, {} skipped",
                    report.import, report.orphan, report.reject, report.skip
                )
            };
            writeln!(out, "{totals}").map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())?;
            Ok(())
        }
        Command::Export {
            user,
            game,
            playtype,
            out,
        } => {
            let game: Option<kaiden::core::Game> = game
                .map(|g| g.parse().map_err(|e| format!("--game: {e}")))
                .transpose()?;
            let gpt = match (game, playtype) {
                (Some(g), Some(p)) => {
                    let pt: kaiden::core::game::Playtype =
                        p.parse().map_err(|e| format!("--playtype: {e}"))?;
                    Some(
                        g.with_playtype(pt)
                            .ok_or_else(|| format!("--playtype: {g} has no playtype {pt}"))?,
                    )
                }
                _ => None,
            };
            if S::is_fresh(&cli.db) {
                return Err(format!("{}: no such database", cli.db));
            }
            let host = S::open(&cli.db)?;
            if !host.user_exists(user).map_err(|e| e.to_string())? {
                return Err(format!("--user: no user {user}"));
            }
            let mut export = kaiden::batch_manual::export::export(&*host, user, gpt)
                .await
                .map_err(|e| e.to_string())?;
            if let Some(g) = game {
                export.documents.retain(|d| d.gpt.game() == g);
            }
            for u in &export.unexported {
                eprintln!(
                    "not exported: {} ({}): {}",
                    u.score_id, u.chart_id, u.reason
                );
            }
            match out {
                Some(dir) => {
                    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                    for d in &export.documents {
                        let path = dir.join(d.file_name());
                        let text =
                            serde_json::to_string_pretty(&d.document).map_err(|e| e.to_string())?;
                        std::fs::write(&path, text)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        println!("{}: {} scores", path.display(), d.len());
                    }
                    if export.documents.is_empty() {
                        println!("no scores to export");
                    }
                    Ok(())
                }
                None => match export.documents.as_slice() {
                    [] => {
                        eprintln!("no scores to export");
                        Ok(())
                    }
                    [d] => print_json(&d.document),
                    many => Err(format!(
                        "{} documents ({}): name one with --game and --playtype, or write them all with --out DIR",
                        many.len(),
                        many.iter()
                            .map(|d| d.file_name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                },
            }
        }
        Command::Orphans { user } => {
            let host = S::open(&cli.db)?;
            ensure_user(&*host, user)?;
            let report =
                pipeline::reprocess_orphans(&*host, &registry_for(&host), user, &NoProgress)
                    .await
                    .map_err(|e| e.to_string())?;
            print_json(&report)
        }
        Command::Imports {
            command: ImportsCommand::Show { id },
        } => {
            let host = S::open(&cli.db)?;
            match host.import_document(&id).await.map_err(|e| e.to_string())? {
                Some(doc) => print_json(&doc),
                None => Err(format!("no import with id {id}")),
            }
        }
        Command::Imports {
            command: ImportsCommand::List { user, failed },
        } => {
            let host = S::open(&cli.db)?;
            if failed {
                let failed = host
                    .failed_imports(Some(user), kaiden::service::FAILED_LIST_LIMIT)
                    .await
                    .map_err(|e| e.to_string())?;
                return print_json(&failed);
            }
            print_json(&host.documents("imports", user).map_err(|e| e.to_string())?)
        }
        Command::Imports {
            command: ImportsCommand::Revert { id },
        } => {
            if S::is_fresh(&cli.db) {
                return Err(format!("{}: no such database", cli.db));
            }
            let host = S::open(&cli.db)?;
            let owner = host
                .import_document(&id)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no import {id}"))?
                .user_id;
            let report = pipeline::revert_import(&*host, owner, &id)
                .await
                .map_err(|e| e.to_string())?;
            print_json(&report)
        }
        Command::Scores {
            command:
                ScoresCommand::Delete {
                    ids,
                    user,
                    blacklist,
                },
        } => {
            if S::is_fresh(&cli.db) {
                return Err(format!("{}: no such database", cli.db));
            }
            let host = S::open(&cli.db)?;
            if !host.user_exists(user).map_err(|e| e.to_string())? {
                return Err(format!("--user: no user {user}"));
            }
            let report = pipeline::delete_scores(&*host, user, &ids, blacklist)
                .await
                .map_err(|e| e.to_string())?;
            if !report.not_found.is_empty() {
                eprintln!("not user {user}'s scores: {}", report.not_found.join(", "));
            }
            print_json(&report)?;
            if report.deleted.is_empty() {
                return Err("no score deleted".to_owned());
            }
            Ok(())
        }
        Command::Goals {
            command: SubscribeCommand::Subscribe { id, user },
        } => subscribe(&cli.db, "goal", user, &id, S::subscribe_goal),
        Command::Quests {
            command: SubscribeCommand::Subscribe { id, user },
        } => subscribe(&cli.db, "quest", user, &id, S::subscribe_quest),
        Command::Serve(args) => serve::<S>(&cli.db, args).await,
        Command::Worker(args) => worker::<S>(&cli.db, args).await,
        Command::Types => {
            let host = S::open(&cli.db)?;
            for t in registry_for(&host).import_types() {
                println!("{t}");
            }
            Ok(())
        }
        Command::Sync {
            import_type,
            user,
            intent,
        } => {
            let host = S::open(&cli.db)?;
            let registry = registry_for(&host);
            let import_type = registry
                .parse(&import_type)
                .map_err(|e| format!("--type: {e}"))?;
            if !host.user_exists(user).map_err(|e| e.to_string())? {
                return Err(format!("no user {user} (add one with `kaiden users add`)"));
            }
            let import_id = pipeline::ids::new_import_id().map_err(|e| e.to_string())?;
            let request = ImportRequest {
                import_type,
                user,
                user_intent: intent,
                input: ImportInput::default(),
                import_id: Some(import_id.clone()),
            };
            let kept = request.clone();
            let bar = progress_bar();
            let progress: &dyn Progress = match &bar {
                Some(b) => b,
                None => &NoProgress,
            };
            let result = pipeline::import(&*host, &registry, request, progress).await;
            if let Some(b) = &bar {
                b.0.finish_and_clear();
            }
            let doc = match result {
                Ok(doc) => doc,
                Err(e) => {
                    keep_failure(&*host, &kept, import_id, &e).await;
                    // The error in words (what a server would answer with its
                    // status stays the server's).
                    return Err(e.to_string());
                }
            };
            print_json(&doc)
        }
        Command::Integrations {
            command:
                IntegrationsCommand::Set {
                    user,
                    service,
                    token,
                    refresh_token,
                    card_id,
                    pin,
                    access_code,
                },
        } => {
            let service = service.to_ascii_uppercase();
            let cg = kaiden::cg::Service::parse(&service);
            let kai = ["FLO", "EAG", "MIN"].contains(&service.as_str());
            let myt = service == "MYT";
            if cg.is_none() && !kai && !myt {
                return Err(format!(
                    "--service {service}: expected FLO, EAG, MIN, CG-DEV, CG-GAN, CG-NAG or MYT"
                ));
            }
            let host = S::open(&cli.db)?;
            if !host.user_exists(user).map_err(|e| e.to_string())? {
                return Err(format!("no user {user} (add one with `kaiden users add`)"));
            }
            if myt {
                let Some(code) = access_code else {
                    return Err("--service MYT needs --access-code".to_owned());
                };
                kaiden::service::check_myt_access_code(&code)
                    .map_err(|e| format!("--access-code: {e}"))?;
                kaiden::service::IntegrationStore::put_myt_card(&*host, user, &code)
                    .map_err(|e| e.to_string())?;
                println!("stored a MYT card for user {user}");
                return Ok(());
            }
            if let Some(cg) = cg {
                let (Some(card_id), Some(pin)) = (card_id, pin) else {
                    return Err(format!("--service {service} needs --card-id and --pin"));
                };
                kaiden::service::IntegrationStore::put_cg_card(
                    &*host,
                    user,
                    cg.as_str(),
                    &kaiden::service::CgCard { card_id, pin },
                )
                .map_err(|e| e.to_string())?;
                println!("stored a {service} card for user {user}");
                return Ok(());
            }
            let (Some(token), Some(refresh_token)) = (token, refresh_token) else {
                return Err(format!(
                    "--service {service} needs --token and --refresh-token"
                ));
            };
            kaiden::service::IntegrationStore::put_kai_tokens(
                &*host,
                user,
                &service,
                &kaiden::service::KaiTokens {
                    access_token: token,
                    refresh_token,
                },
            )
            .map_err(|e| e.to_string())?;
            println!("stored {service} tokens for user {user}");
            Ok(())
        }
        Command::Hooks { command } => {
            let (user, hook) = match &command {
                HooksCommand::Set { user, hook, .. } | HooksCommand::Show { user, hook } => {
                    (*user, hook.clone())
                }
            };
            let hook = hook.as_str();
            if !kaiden::service::HOOKS_WITH_SETTINGS.contains(&hook) {
                return Err(format!(
                    "--hook {hook}: expected one of {}",
                    kaiden::service::HOOKS_WITH_SETTINGS.join(", ")
                ));
            }
            let host = S::open(&cli.db)?;
            if !host.user_exists(user).map_err(|e| e.to_string())? {
                return Err(format!("no user {user} (add one with `kaiden users add`)"));
            }
            let mut settings = host.hook_settings(user, hook).map_err(|e| e.to_string())?;
            if let HooksCommand::Set {
                cards,
                force_static_import,
                ..
            } = command
            {
                if let Some(cards) = cards {
                    settings.cards = (cards != "any").then(|| {
                        cards
                            .split(',')
                            .map(str::trim)
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned)
                            .collect()
                    });
                }
                if let Some(f) = force_static_import {
                    settings.force_static_import = f;
                }
                host.put_hook_settings(user, hook, &settings)
                    .map_err(|e| e.to_string())?;
            }
            print_json(&settings)
        }
        Command::Users {
            command: UsersCommand::Add { name },
        } => {
            let name = name.trim();
            if name.is_empty() {
                return Err("a user needs a name".to_owned());
            }
            let host = S::open(&cli.db)?;
            if host.user_named(name).map_err(|e| e.to_string())?.is_some() {
                return Err(format!("a user named {name} exists already"));
            }
            let id = host.add_user(name).map_err(|e| e.to_string())?;
            println!("{id}");
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::Create { user, permissions },
        } => {
            kaiden::service::check_permissions(&permissions).map_err(|e| {
                format!(
                    "--permission: {}",
                    e.to_string().trim_start_matches("host storage failed: ")
                )
            })?;
            let key = S::open(&cli.db)?
                .create_api_key(user, &permissions)
                .map_err(|e| e.to_string())?;
            println!("{key}");
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::List { user },
        } => print_json(
            &S::open(&cli.db)?
                .api_keys_of(user)
                .map_err(|e| e.to_string())?,
        ),
        Command::Keys {
            command: KeysCommand::Revoke { key },
        } => match S::open(&cli.db)?
            .revoke_api_key(&key)
            .map_err(|e| e.to_string())?
        {
            0 => Err("no such key".to_owned()),
            _ => {
                println!("revoked");
                Ok(())
            }
        },
    }
}

/// Logs to stderr for `serve` and `worker`: one line per request and per
/// import (kaiden-server's `log` module). `KAIDEN_LOG`: `off`, `error`,
/// `warn`, `info` (the default) or `debug`.
fn init_logs() -> Result<(), Failure> {
    let level = match std::env::var("KAIDEN_LOG")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "" | "info" => Some(tracing::Level::INFO),
        "off" => None,
        "error" => Some(tracing::Level::ERROR),
        "warn" => Some(tracing::Level::WARN),
        "debug" => Some(tracing::Level::DEBUG),
        other => {
            return Err(format!(
                "KAIDEN_LOG={other}: expected off, error, warn, info or debug"
            ));
        }
    };
    if let Some(level) = level {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(level)
            .with_ansi(false)
            .try_init();
    }
    Ok(())
}

async fn serve<S: Store>(db: &str, args: ServeArgs) -> Result<(), Failure> {
    init_logs()?;
    let host = S::open(db)?;
    let registry = registry_for(&host).with(kaiden::beatoraja::Beatoraja::with_players_needed(
        usize::from(args.chart_queue_size),
    ));
    if let Some(dir) = &args.seeds {
        let report = host.load_seeds(dir).map_err(|e| e.to_string())?;
        carry_scores_along(&*host, &report).await;
    }
    let webhook_secret = args
        .webhook_secret
        .clone()
        .or_else(|| std::env::var("KAIDEN_WEBHOOK_SECRET").ok())
        .filter(|s| !s.is_empty());
    if !args.webhooks.is_empty() && webhook_secret.is_none() {
        return Err(
            "--webhook needs a secret: --webhook-secret or KAIDEN_WEBHOOK_SECRET".to_owned(),
        );
    }
    let config = kaiden_server::Config {
        processor: match args.processor {
            ProcessorArg::Internal => kaiden_server::Processor::Internal,
            ProcessorArg::External => kaiden_server::Processor::External,
        },
        workers: args.workers,
        rate_limit: args.rate_limit,
        file_limit: args.file_limit_mib.saturating_mul(1024 * 1024),
        public_url: args.public_url,
        lock_backoff: Duration::from_millis(args.lock_backoff_ms),
        read_timeout: Duration::from_secs(args.read_timeout_secs),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        webhooks: args
            .webhooks
            .iter()
            .map(|url| kaiden_server::webhooks::Webhook {
                url: url.clone(),
                secret: webhook_secret.clone().unwrap_or_default(),
            })
            .collect(),
        ..kaiden_server::Config::default()
    };
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .map_err(|e| format!("--bind {}: {e}", args.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The first line of stdout: scripts and tests read the port from it.
    println!("listening on http://{addr}");
    kaiden_server::serve(listener, host, registry, config)
        .await
        .map_err(|e| e.to_string())
}

/// `kaiden worker`: the external processor's workers, without HTTP, until
/// the process is stopped.
async fn worker<S: Store>(db: &str, args: WorkerArgs) -> Result<(), Failure> {
    init_logs()?;
    let host = S::open(db)?;
    let registry = registry_for(&host).with(kaiden::beatoraja::Beatoraja::with_players_needed(
        usize::from(args.chart_queue_size),
    ));
    let config = kaiden_server::Config {
        processor: kaiden_server::Processor::External,
        workers: usize::try_from(args.workers).unwrap_or(usize::MAX),
        lock_backoff: Duration::from_millis(args.lock_backoff_ms),
        poll_interval: Duration::from_millis(args.poll_interval_ms),
        ..kaiden_server::Config::default()
    };
    let server = kaiden_server::Server::new(host, registry, config);
    server.start_workers().await.map_err(|e| e.to_string())?;
    // The first line of stdout: scripts and tests wait for it.
    println!("working with {} workers", args.workers);
    std::future::pending::<()>().await;
    Ok(())
}
