//! The mock server's front door: a small HTTP/1.1 server on 127.0.0.1 that hands every request
//! to wiremock and its answer back, except that an answer wiremock marks as paced is replaced
//! by that stub's [`Chunks`], sent piece by piece with their pauses (wiremock only sends a body
//! in one piece).

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use super::mock_stream::{Chunks, Step};

/// The header by which wiremock's answer names the paced body to send instead.
pub(crate) const PACED: &str = "x-openapi-mock-paced";

type Body = BoxBody<Bytes, std::io::Error>;

/// The paced bodies of the stubs, by index (the value of the [`PACED`] header).
#[derive(Clone, Default)]
pub(crate) struct Paced(Arc<Mutex<Vec<Chunks>>>);

impl Paced {
    /// Keeps `chunks` and returns the value of the header that names it.
    pub(crate) fn add(&self, chunks: Chunks) -> String {
        let mut list = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        list.push(chunks);
        (list.len() - 1).to_string()
    }

    fn get(&self, key: &str) -> Option<Chunks> {
        let list = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        key.parse::<usize>().ok().and_then(|i| list.get(i).cloned())
    }
}

/// The running front: its base URL and the task that accepts connections (aborted on drop,
/// which ends the connections too).
pub(crate) struct Front {
    pub(crate) uri: String,
    pub(crate) paced: Paced,
    task: JoinHandle<()>,
}

impl Drop for Front {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Front {
    /// Starts the front on a free port of 127.0.0.1, passing requests to `backend`.
    #[allow(clippy::panic)] // A test double fails the test by panicking.
    pub(crate) async fn start(backend: String) -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(l) => l,
            Err(e) => panic!("mock: cannot listen on 127.0.0.1: {e}"),
        };
        let uri = match listener.local_addr() {
            Ok(a) => format!("http://{a}"),
            Err(e) => panic!("mock: no local address: {e}"),
        };
        let paced = Paced::default();
        let built = super::platform::http_builder(Duration::from_secs(10), false)
            .map_err(|e| e.to_string())
            .and_then(|b| b.no_proxy().build().map_err(|e| e.to_string()));
        let http = match built {
            Ok(h) => h,
            Err(e) => panic!("mock: cannot build the front's client: {e}"),
        };
        let shared = Arc::new((http, backend, paced.clone()));
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let shared = shared.clone();
                        async move {
                            let (http, backend, paced) = &*shared;
                            Ok::<_, Infallible>(pass(http, backend, paced, request).await)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
                // Forget the connections that are over.
                while connections.try_join_next().is_some() {}
            }
        });
        Self { uri, paced, task }
    }
}

/// Hands `request` to wiremock and returns its answer, or the paced body it names.
async fn pass(
    http: &reqwest::Client,
    backend: &str,
    paced: &Paced,
    request: Request<Incoming>,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return plain(StatusCode::BAD_REQUEST, format!("mock: request body: {e}")),
    };
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut forward = http.request(parts.method, format!("{backend}{target}"));
    for (name, value) in &parts.headers {
        if !hop_by_hop(name.as_str()) {
            forward = forward.header(name, value);
        }
    }
    let answer = match forward.body(body).send().await {
        Ok(a) => a,
        Err(e) => return plain(StatusCode::BAD_GATEWAY, format!("mock: wiremock: {e}")),
    };
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if !hop_by_hop(name.as_str()) && name.as_str() != PACED {
            response = response.header(name, value);
        }
    }
    let chunks = answer
        .headers()
        .get(PACED)
        .and_then(|v| v.to_str().ok())
        .and_then(|key| paced.get(key));
    let body = match chunks {
        Some(chunks) => paced_body(chunks),
        None => match answer.bytes().await {
            Ok(bytes) => full(bytes),
            Err(e) => return plain(StatusCode::BAD_GATEWAY, format!("mock: wiremock: {e}")),
        },
    };
    response
        .body(body)
        .unwrap_or_else(|e| plain(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// Headers that belong to one connection, not to the message.
fn hop_by_hop(name: &str) -> bool {
    matches!(
        name,
        "host" | "connection" | "content-length" | "transfer-encoding" | "keep-alive"
    )
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed()
}

fn plain(status: StatusCode, text: String) -> Response<Body> {
    let mut response = Response::new(full(Bytes::from(text)));
    *response.status_mut() = status;
    response
}

/// The chunks as a body sent chunked: each piece as it comes, after the pauses and waits
/// before it; a failure drops the connection without ending the body.
fn paced_body(chunks: Chunks) -> Body {
    let steps = futures_util::stream::iter(chunks.steps).then(|step| async move {
        match step {
            Step::Send(bytes) => Some(Ok(Frame::data(bytes))),
            Step::Pause(delay) => {
                tokio::time::sleep(delay).await;
                None
            }
            Step::Wait(notify) => {
                notify.notified().await;
                None
            }
            Step::Fail => Some(Err(std::io::Error::other(
                "the mock drops the connection mid-stream",
            ))),
        }
    });
    let frames = steps.filter_map(std::future::ready);
    BodyExt::boxed(StreamBody::new(frames))
}
