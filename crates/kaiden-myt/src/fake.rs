//! A fake MYT: a real gRPC server (tonic, HTTP/2, plaintext) on a loopback
//! port, answering from what a test puts in its [`FakeState`]. For the tests
//! of kaiden and of servers that embed it (feature `fake`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use tonic::codegen::tokio_stream::{self, Stream, wrappers::ReceiverStream};
use tonic::{Request, Response, Status};

use crate::proto::cards::cards_server::{Cards, CardsServer};
use crate::proto::cards::{LookupRequest, LookupResponse, TitleEntry};
use crate::proto::chunithm::chunithm_user_server::{ChunithmUser, ChunithmUserServer};
use crate::proto::maimai::maimai_user_server::{MaimaiUser, MaimaiUserServer};
use crate::proto::ongeki::ongeki_user_server::{OngekiUser, OngekiUserServer};
use crate::proto::wacca::wacca_user_server::{WaccaUser, WaccaUserServer};
use crate::proto::{chunithm, maimai, ongeki, wacca};

/// What the fake holds and has seen.
#[derive(Debug, Default)]
pub struct FakeState {
    /// The bearer token calls must carry (others get UNAUTHENTICATED).
    pub token: String,
    /// Each card's profiles: (title kind, title api id).
    pub cards: HashMap<String, Vec<(String, String)>>,
    /// CHUNITHM play logs by player api id.
    pub chunithm: HashMap<String, Vec<chunithm::GetPlaylogStreamItem>>,
    /// maimai DX play logs by player api id.
    pub maimai: HashMap<String, Vec<maimai::GetPlaylogStreamItem>>,
    /// O.N.G.E.K.I. play logs by player api id.
    pub ongeki: HashMap<String, Vec<ongeki::GetPlaylogStreamItem>>,
    /// WACCA play logs by player api id.
    pub wacca: HashMap<String, Vec<wacca::PlaylogStreamItem>>,
    /// WACCA player data by player api id (others: NOT_FOUND).
    pub wacca_data: HashMap<String, wacca::DataResponse>,
    /// Streams end with this status after this many messages.
    pub fail_after: Option<(usize, Status)>,
    /// Streams send nothing and never end.
    pub stall: bool,
    /// Streams send this many messages, then nothing, until the client goes.
    pub stall_after: Option<usize>,
    /// Streams the client cancelled while they were stalled (`stall_after`).
    pub streams_cancelled: usize,
    /// The calls made: `Lookup <code>`, `GetPlaylog <game> <id>`, `GetData <id>`.
    pub calls: Vec<String>,
    /// Streams whose every message was taken by the connection.
    pub streams_sent: usize,
}

type Shared = Arc<Mutex<FakeState>>;

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, FakeState> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running fake MYT (it stops with the process).
#[derive(Debug, Clone)]
pub struct FakeMyt {
    addr: SocketAddr,
    state: Shared,
}

impl FakeMyt {
    /// Starts a fake on a loopback port, on a thread of its own, expecting
    /// `token`.
    ///
    /// # Panics
    /// If no loopback port can be bound (a test environment problem).
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn start(token: &str) -> FakeMyt {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("its address");
        let state: Shared = Arc::new(Mutex::new(FakeState {
            token: token.to_owned(),
            ..FakeState::default()
        }));
        let svc = Svc(Arc::clone(&state));
        std::thread::Builder::new()
            .name("fake-myt".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .expect("a runtime");
                rt.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                    let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
                    let _ = tonic::transport::Server::builder()
                        .add_service(CardsServer::new(svc.clone()))
                        .add_service(ChunithmUserServer::new(svc.clone()))
                        .add_service(MaimaiUserServer::new(svc.clone()))
                        .add_service(OngekiUserServer::new(svc.clone()))
                        .add_service(WaccaUserServer::new(svc))
                        .serve_with_incoming(incoming)
                        .await;
                });
            })
            .expect("a thread");
        FakeMyt { addr, state }
    }

    /// Its URL (`http://127.0.0.1:port`: plaintext HTTP/2).
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Changes or reads the state.
    pub fn with<T>(&self, f: impl FnOnce(&mut FakeState) -> T) -> T {
        f(&mut lock(&self.state))
    }
}

#[derive(Clone)]
struct Svc(Shared);

type Out<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

impl Svc {
    fn authorise<M>(&self, r: &Request<M>, call: String) -> Result<(), Status> {
        let mut s = lock(&self.0);
        s.calls.push(call);
        let want = format!("Bearer {}", s.token);
        match r.metadata().get("authorization").map(|v| v.to_str()) {
            Some(Ok(got)) if got == want => Ok(()),
            _ => Err(Status::unauthenticated("bad token")),
        }
    }

    /// A stream of `items`, as the state says it goes.
    fn stream<T: Send + 'static>(&self, items: Vec<T>) -> Out<T> {
        let (stall, fail, stall_after) = {
            let s = lock(&self.0);
            (s.stall, s.fail_after.clone(), s.stall_after)
        };
        if stall {
            return Box::pin(tokio_stream::pending());
        }
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let state = Arc::clone(&self.0);
        tokio::spawn(async move {
            for (n, item) in items.into_iter().enumerate() {
                if stall_after == Some(n) {
                    tx.closed().await;
                    lock(&state).streams_cancelled += 1;
                    return;
                }
                if let Some((after, status)) = &fail {
                    if n == *after {
                        let _ = tx.send(Err(status.clone())).await;
                        return;
                    }
                }
                if tx.send(Ok(item)).await.is_err() {
                    return;
                }
            }
            if let Some((_, status)) = fail {
                let _ = tx.send(Err(status)).await;
                return;
            }
            // The channel holds one message: it is sent once the next is
            // taken, so wait until the connection took the last.
            let _ = tx.reserve_many(tx.max_capacity()).await;
            lock(&state).streams_sent += 1;
        });
        Box::pin(ReceiverStream::new(rx))
    }
}

#[tonic::async_trait]
impl Cards for Svc {
    async fn lookup(&self, r: Request<LookupRequest>) -> Result<Response<LookupResponse>, Status> {
        self.authorise(&r, format!("Lookup {}", r.get_ref().access_code))?;
        let s = lock(&self.0);
        let Some(profiles) = s.cards.get(&r.get_ref().access_code) else {
            return Err(Status::not_found("no such card"));
        };
        Ok(Response::new(LookupResponse {
            player_api_id: format!("player-{}", r.get_ref().access_code),
            titles: profiles
                .iter()
                .filter(|(kind, _)| r.get_ref().titles.contains(kind))
                .map(|(kind, id)| TitleEntry {
                    title_kind: kind.clone(),
                    title_api_id: id.clone(),
                })
                .collect(),
        }))
    }
}

macro_rules! playlog_service {
    ($trait:ident, $module:ident, $field:ident) => {
        #[tonic::async_trait]
        impl $trait for Svc {
            type GetPlaylogStream = Out<$module::GetPlaylogStreamItem>;

            async fn get_playlog(
                &self,
                r: Request<$module::GetPlaylogRequest>,
            ) -> Result<Response<Self::GetPlaylogStream>, Status> {
                let id = r.get_ref().profile_api_id.clone();
                self.authorise(&r, format!("GetPlaylog {} {id}", stringify!($field)))?;
                let items = lock(&self.0).$field.get(&id).cloned();
                match items {
                    Some(items) => Ok(Response::new(self.stream(items))),
                    None => Err(Status::not_found("no such player")),
                }
            }
        }
    };
}

playlog_service!(ChunithmUser, chunithm, chunithm);
playlog_service!(MaimaiUser, maimai, maimai);
playlog_service!(OngekiUser, ongeki, ongeki);

#[tonic::async_trait]
impl WaccaUser for Svc {
    type GetPlaylogStream = Out<wacca::PlaylogStreamItem>;

    async fn get_data(
        &self,
        r: Request<wacca::DataRequest>,
    ) -> Result<Response<wacca::DataResponse>, Status> {
        let id = r.get_ref().api_id.clone();
        self.authorise(&r, format!("GetData {id}"))?;
        let data = lock(&self.0).wacca_data.get(&id).cloned();
        data.map(Response::new)
            .ok_or_else(|| Status::not_found("no such player"))
    }

    async fn get_playlog(
        &self,
        r: Request<wacca::PlaylogRequest>,
    ) -> Result<Response<Self::GetPlaylogStream>, Status> {
        let id = r.get_ref().api_id.clone();
        self.authorise(&r, format!("GetPlaylog wacca {id}"))?;
        let items = lock(&self.0).wacca.get(&id).cloned();
        match items {
            Some(items) => Ok(Response::new(self.stream(items))),
            None => Err(Status::not_found("no such player")),
        }
    }
}
