//! Serving connections with bounds a server reachable by strangers needs: at
//! most `max_connections` at once (more wait in the listen backlog); a
//! request's head must arrive within `read_timeout` of the server starting
//! to wait for it (slow headers, idle keep-alive connections: hyper's
//! header timer); and each frame of a request body within `read_timeout` of
//! the last ([`TimeoutBody`], a minimum rate). Handling a request is never
//! timed, so a long import is not cut.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Sleep;

/// A request body whose next frame must arrive within `timeout` (a slow
/// sender is cut off: the handler's body read fails).
pub(crate) struct TimeoutBody {
    inner: axum::body::Body,
    timeout: Duration,
    sleep: Pin<Box<Sleep>>,
    armed: bool,
}

impl TimeoutBody {
    pub(crate) fn new(inner: axum::body::Body, timeout: Duration) -> Self {
        TimeoutBody {
            inner,
            timeout,
            sleep: Box::pin(tokio::time::sleep(timeout)),
            armed: false,
        }
    }
}

impl http_body::Body for TimeoutBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                this.armed = false;
                Poll::Ready(frame)
            }
            Poll::Pending => {
                if !this.armed {
                    this.armed = true;
                    let deadline = tokio::time::Instant::now() + this.timeout;
                    this.sleep.as_mut().reset(deadline);
                }
                match this.sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(axum::Error::new(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped sending the request body",
                    ))))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Accepts connections on `listener` and serves `router` on each, HTTP/1.1
/// with keep-alive, within the bounds above. Runs until accepting fails.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    read_timeout: Duration,
    max_connections: usize,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(max_connections.max(1)));
    loop {
        let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
            return Ok(());
        };
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            // A peer that reset before it was accepted, or too many open
            // files for a moment: keep accepting.
            Err(e) if is_transient(&e) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // hyper's header timer runs from the moment it waits for a
            // request's head: slow headers and idle keep-alive connections.
            let io = TokioIo::new(stream);
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(read_timeout)
                // Above the router's own limits (`routes::MAX_HEADERS`), so
                // that it answers with the envelope; hyper's empty 431 only
                // for heads far past them.
                .max_headers(crate::routes::MAX_HEADERS * 10)
                .keep_alive(true)
                .serve_connection(io, service);
            // A connection's failure (a timeout, a reset) is the client's.
            let _ = conn.await;
            drop(permit);
        });
    }
}

fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    ) || e.raw_os_error().is_some_and(|c| c == 23 || c == 24)
}
