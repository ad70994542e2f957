//! MYT over gRPC (kaiden's own; public only for [`Title`](crate::Title)): the card lookup, WACCA's player data, and the play-log
//! stream read ahead into a bounded buffer.
//!
//! Imports are synchronous and may run inside a host's async runtime, so the
//! gRPC calls run elsewhere: each sync has a thread of its own that drives
//! its calls on a process-wide tokio runtime (whose one worker keeps the
//! HTTP/2 connections serviced) and hands records over through a bounded
//! channel. The stream is read as fast as MYT sends it until the channel
//! holds `read_ahead` records; only then does the thread wait for the import.

use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use kaiden_core::error::ImportError;
use kaiden_core::format::ProvidedClass;
use kaiden_core::{Game, Gpt};
use tonic::metadata::{Ascii, MetadataValue};
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Status};

use crate::proto::cards::LookupRequest;
use crate::proto::cards::cards_client::CardsClient;
use crate::proto::wacca::DataRequest;
use crate::proto::wacca::wacca_user_client::WaccaUserClient;
use crate::{MytConfig, MytError, Title};

/// The runtime every sync's calls run on (never dropped).
fn runtime() -> Result<&'static tokio::runtime::Runtime, ImportError> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("kaiden-myt")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| ImportError::internal(format!("the MYT runtime did not start: {e}")))
}

/// What one sync needs to call MYT.
#[derive(Clone)]
pub struct Conn {
    endpoint: Endpoint,
    bearer: MetadataValue<Ascii>,
    deadline: Duration,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token stays out of logs.
        f.debug_struct("Conn")
            .field("uri", self.endpoint.uri())
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl Conn {
    pub(crate) fn new(config: &MytConfig) -> Result<Conn, ImportError> {
        let server = config.server.as_ref().ok_or(MytError::NotConfigured)?;
        let (url, tls) = match server.url.split_once("://") {
            Some(("http", _)) => (server.url.clone(), false),
            Some(("https", _)) => (server.url.clone(), true),
            Some(_) => return Err(MytError::BadConfig("KAIDEN_MYT_URL: not http(s)".into()).into()),
            // Tachi's form: host:port, always over TLS.
            None => (format!("https://{}", server.url), true),
        };
        let mut endpoint = Endpoint::from_shared(url)
            .map_err(|e| MytError::BadConfig(format!("KAIDEN_MYT_URL: {e}")))?
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .map_err(|e| MytError::BadConfig(format!("user agent: {e}")))?;
        if tls {
            endpoint = endpoint
                .tls_config(ClientTlsConfig::new().with_webpki_roots())
                .map_err(|e| MytError::BadConfig(format!("TLS: {e}")))?;
        }
        let bearer = format!("Bearer {}", server.token)
            .parse()
            .map_err(|_| MytError::BadConfig("KAIDEN_MYT_TOKEN is no header value".into()))?;
        Ok(Conn {
            endpoint,
            bearer,
            deadline: config.deadline,
        })
    }

    /// A call with the server's token and the deadline.
    pub fn request<M>(&self, message: M) -> tonic::Request<M> {
        let mut r = tonic::Request::new(message);
        r.metadata_mut()
            .insert("authorization", self.bearer.clone());
        r.set_timeout(self.deadline);
        r
    }

    pub(crate) fn deadline(&self) -> Duration {
        self.deadline
    }
}

/// One message of a sync's record channel.
pub(crate) enum Msg<R> {
    Item(R),
    End,
    Failed(ImportError),
}

/// A sync under way: the classes MYT reports, and its records as they come.
pub(crate) struct Opened<R> {
    pub(crate) classes: Vec<ProvidedClass>,
    pub(crate) records: Records<R>,
}

/// The records of a sync. Dropping it (the import is done with them, or
/// stopped early) ends the sync's thread at once, even while it waits for
/// MYT's next message.
pub(crate) struct Records<R> {
    rx: mpsc::Receiver<Msg<R>>,
    gone: Arc<tokio::sync::Notify>,
}

impl<R> Records<R> {
    /// The next message, waiting for it.
    pub(crate) fn recv(&self) -> Result<Msg<R>, mpsc::RecvError> {
        self.rx.recv()
    }
}

impl<R> Drop for Records<R> {
    fn drop(&mut self) {
        // A permit if the thread is not waiting yet: it ends at its next wait.
        self.gone.notify_one();
    }
}

/// Starts a sync of `T` for the card `access_code`: returns once the card is
/// looked up (and, for WACCA, the player data read), or with the fatal
/// error that stopped it.
pub(crate) fn open<T: Title>(
    config: &MytConfig,
    access_code: String,
) -> Result<Opened<T::Record>, ImportError> {
    let conn = Conn::new(config)?;
    let rt = runtime()?;
    let (ready_tx, ready_rx) = mpsc::channel();
    let (tx, rx) = mpsc::sync_channel(config.read_ahead.max(1));
    let gone = Arc::new(tokio::sync::Notify::new());
    let gone_here = Arc::clone(&gone);
    std::thread::Builder::new()
        .name("kaiden-myt-sync".into())
        .spawn(move || rt.block_on(run::<T>(conn, access_code, ready_tx, tx, gone_here)))
        .map_err(|e| ImportError::internal(format!("could not start a MYT sync: {e}")))?;
    match ready_rx.recv() {
        Ok(Ok(classes)) => Ok(Opened {
            classes,
            records: Records { rx, gone },
        }),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(ImportError::internal(
            "the MYT sync stopped before it began",
        )),
    }
}

async fn run<T: Title>(
    conn: Conn,
    access_code: String,
    ready: mpsc::Sender<Result<Vec<ProvidedClass>, ImportError>>,
    tx: mpsc::SyncSender<Msg<T::Record>>,
    gone: Arc<tokio::sync::Notify>,
) {
    let channel = conn.endpoint.connect_lazy();
    let api_id = match lookup(&conn, channel.clone(), T::GAME, T::TITLE, access_code).await {
        Ok(id) => id,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let classes = if T::GAME == Game::Wacca {
        match stage_up(&conn, channel.clone(), api_id.clone()).await {
            Ok(c) => c,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        }
    } else {
        Vec::new()
    };
    if ready.send(Ok(classes)).is_err() {
        return;
    }
    // The stream opens as Tachi's lazy one does: after the lookups; any
    // failure from here on is the streaming error (it may name MYT's
    // addresses, so the cause goes no further than the error's source).
    let deadline = tokio::time::Instant::now() + conn.deadline();
    let opened = tokio::time::timeout_at(deadline, T::playlog(&conn, channel, api_id)).await;
    let mut stream = match opened {
        Ok(Ok(s)) => s,
        Ok(Err(status)) => {
            let _ = tx.send(Msg::Failed(streaming(status)));
            return;
        }
        Err(_) => {
            let _ = tx.send(Msg::Failed(streaming(Status::deadline_exceeded(
                "the deadline passed",
            ))));
            return;
        }
    };
    loop {
        // The import may stop before MYT's next message: then the stream
        // (and this thread) end now, not at that message or the deadline.
        let next = tokio::select! {
            next = tokio::time::timeout_at(deadline, stream.message()) => next,
            () = gone.notified() => return,
        };
        let msg = match next {
            Ok(Ok(Some(item))) => match T::record(item) {
                Ok(r) => Msg::Item(r),
                Err(e) => Msg::Failed(e),
            },
            Ok(Ok(None)) => Msg::End,
            Ok(Err(status)) => Msg::Failed(streaming(status)),
            Err(_) => Msg::Failed(streaming(Status::deadline_exceeded("the deadline passed"))),
        };
        let last = !matches!(msg, Msg::Item(_));
        // Waits while the buffer is full; fails once the import has gone.
        if tx.send(msg).is_err() || last {
            return;
        }
    }
}

fn streaming(status: Status) -> ImportError {
    ImportError::from(MytError::Streaming).caused_by(status)
}

/// Tachi's `FetchMytTitleAPIID`: the player's id for `title` on the card.
async fn lookup(
    conn: &Conn,
    channel: Channel,
    game: Game,
    title: &'static str,
    access_code: String,
) -> Result<String, ImportError> {
    let mut client = CardsClient::new(channel);
    let call = client.lookup(conn.request(LookupRequest {
        access_code,
        titles: vec![title.to_owned()],
    }));
    let reply = match tokio::time::timeout(conn.deadline(), call).await {
        Ok(Ok(r)) => r.into_inner(),
        Ok(Err(status)) if status.code() == Code::NotFound => {
            let details = status.message().to_owned();
            return Err(ImportError::from(MytError::CardNotFound(details)).caused_by(status));
        }
        Ok(Err(status)) => {
            return Err(
                ImportError::from(MytError::Unexpected(status.code() as i32)).caused_by(status),
            );
        }
        Err(_) => return Err(MytError::Unexpected(Code::DeadlineExceeded as i32).into()),
    };
    reply
        .titles
        .into_iter()
        .find(|t| t.title_kind == title)
        .map(|t| t.title_api_id)
        .ok_or_else(|| MytError::NoProfile(game.display_name()).into())
}

/// WACCA's stage-up from `GetData`: PLUS's rank if MYT has PLUS data, else
/// REVERSE's. Rank 0 is none; a rank past XIV names no class kaiden knows,
/// so it gives none too (Tachi fails the import there, after storing its
/// scores; kaiden keeps the scores and the class as it was).
async fn stage_up(
    conn: &Conn,
    channel: Channel,
    api_id: String,
) -> Result<Vec<ProvidedClass>, ImportError> {
    let mut client = WaccaUserClient::new(channel);
    let call = client.get_data(conn.request(DataRequest { api_id }));
    let data = match tokio::time::timeout(conn.deadline(), call).await {
        Ok(Ok(r)) => r.into_inner(),
        Ok(Err(status)) => return Err(ImportError::from(MytError::PlayerData).caused_by(status)),
        Err(_) => return Err(MytError::PlayerData.into()),
    };
    const PLUS: i32 = 400;
    const REVERSE: i32 = 300;
    let rank = data
        .version_data
        .get(&PLUS)
        .or_else(|| data.version_data.get(&REVERSE))
        .map_or(0, |v| v.rank);
    Ok(stage_up_class(rank).into_iter().collect())
}

/// The stage-up class of a WACCA rank (1 is I … 14 is XIV).
pub(crate) fn stage_up_class(rank: i32) -> Option<ProvidedClass> {
    let index = usize::try_from(rank).ok()?.checked_sub(1)?;
    let value = kaiden_games::GptConfig::of(Gpt::WaccaSingle)
        .class("stageUp")?
        .values
        .get(index)?;
    Some(ProvidedClass {
        gpt: Gpt::WaccaSingle,
        set: "stageUp".to_owned(),
        class_id: value.id.to_owned(),
    })
}
