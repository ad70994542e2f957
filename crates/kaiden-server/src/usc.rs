//! The USC-IR protocol under `/ir/usc/{playtype}` (<https://uscir.readthedocs.io>),
//! as Tachi serves it: every answer is HTTP 200 with
//! `{statusCode, description, body?}` (20 success, 22 accepted, 40 bad
//! request, 41 unauthorised, 44 not found, 50 server error), except the
//! playtype check, the `submit_score` permission and upload errors, which are
//! Tachi's plain HTTP answers. Replays are kept by the host and served at
//! `GET /uscir/replays/{scoreID}` (Tachi's CDN path).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kaiden::core::query::{ChartKey, ChartQuery, ChartResolution};
use kaiden::core::{ChartDocument, Gpt, ImportType};
use kaiden::service::{ApiKey, hash_api_key};
use serde_json::{Value, json};

use crate::api::ApiError;
use crate::{App, ServerHost, blocking};

const SUCCESS: u8 = 20;
const ACCEPTED: u8 = 22;
const BAD_REQ: u8 = 40;
const UNAUTH: u8 = 41;
const NOT_FOUND: u8 = 44;
const SERVER_ERROR: u8 = 50;

/// Most scores a leaderboard returns.
const MAX_LEADERBOARD_N: u64 = 10;
/// Neighbours above and below in a score submission's answer.
const ADJACENT_N: usize = 3;
/// Largest replay file.
const MAX_REPLAY: usize = 1024 * 1024;

fn usc(code: u8, description: impl Into<String>, body: Option<Value>) -> Response {
    let mut v = json!({"statusCode": code, "description": description.into()});
    if let Some(b) = body {
        v["body"] = b;
    }
    (StatusCode::OK, axum::Json(v)).into_response()
}

fn plain(status: StatusCode, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"success": false, "description": description})),
    )
        .into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    eprintln!("kaiden-server: USC-IR: {e}");
    usc(SERVER_ERROR, "An internal server error has occured.", None)
}

pub(crate) fn routes<H: ServerHost>(json_limit: usize) -> Router<Arc<App<H>>> {
    Router::new()
        .route("/ir/usc/{playtype}", get(heartbeat::<H>))
        .route("/ir/usc/{playtype}/", get(heartbeat::<H>))
        .route("/ir/usc/{playtype}/charts/{hash}", get(chart::<H>))
        .route("/ir/usc/{playtype}/charts/{hash}/record", get(record::<H>))
        .route(
            "/ir/usc/{playtype}/charts/{hash}/leaderboard",
            get(leaderboard::<H>),
        )
        .route(
            "/ir/usc/{playtype}/scores",
            post(scores::<H>).layer(DefaultBodyLimit::max(json_limit)),
        )
        .route(
            "/ir/usc/{playtype}/replays",
            post(replays::<H>).layer(DefaultBodyLimit::max(MAX_REPLAY + 64 * 1024)),
        )
        .route("/uscir/replays/{score_id}", get(replay_file::<H>))
}

fn gpt_of(playtype: &str) -> Option<Gpt> {
    match playtype {
        "Controller" => Some(Gpt::UscController),
        "Keyboard" => Some(Gpt::UscKeyboard),
        _ => None,
    }
}

/// The playtype check and USC's own auth; the error is the whole answer.
async fn begin<H: ServerHost>(
    app: &Arc<App<H>>,
    playtype: &str,
    headers: &HeaderMap,
) -> Result<(Gpt, ApiKey), Response> {
    let Some(gpt) = gpt_of(playtype) else {
        return Err(plain(
            StatusCode::BAD_REQUEST,
            "Invalid playtype. Expected Keyboard or Controller.",
        ));
    };
    let Some(auth) = headers.get("authorization") else {
        return Err(usc(BAD_REQ, "No auth token provided.", None));
    };
    let auth = auth.to_str().unwrap_or_default();
    let parts: Vec<&str> = auth.split(' ').collect();
    let [kind, token] = parts.as_slice() else {
        return Err(usc(
            BAD_REQ,
            "Invalid Authorization Header. Expected Bearer <token>",
            None,
        ));
    };
    if *kind != "Bearer" {
        return Err(usc(
            BAD_REQ,
            "Invalid Authorization Header. Expected Bearer <token>",
            None,
        ));
    }
    let hash = hash_api_key(token);
    let key = blocking(&app.host, move |h| async move { h.api_key(&hash).await })
        .await
        .map_err(internal)?
        .map_err(internal)?
        .ok_or_else(|| usc(UNAUTH, "Unauthorized.", None))?;
    Ok((gpt, key))
}

/// [`begin`], for the routes that need `submit_score` (Tachi answers its
/// absence with a plain 403).
async fn begin_submitting<H: ServerHost>(
    app: &Arc<App<H>>,
    playtype: &str,
    headers: &HeaderMap,
) -> Result<(Gpt, ApiKey), Response> {
    let (gpt, key) = begin(app, playtype, headers).await?;
    if !key.allows("submit_score") {
        return Err(plain(
            StatusCode::FORBIDDEN,
            "You are missing the following permissions necessary for this request: submit_score",
        ));
    }
    Ok((gpt, key))
}

/// The chart with this SHA-1 and playtype.
async fn find_chart<H: ServerHost>(
    app: &Arc<App<H>>,
    gpt: Gpt,
    hash: &str,
) -> Result<Option<Arc<ChartDocument>>, Response> {
    let q = ChartQuery {
        gpt,
        key: ChartKey::UscChartHash(hash.to_owned()),
        difficulty: None,
        version: None,
    };
    let r = blocking(
        &app.host,
        move |h| async move { h.resolve_charts(&[q]).await },
    )
    .await
    .map_err(internal)?
    .map_err(internal)?;
    Ok(match r.into_iter().next() {
        Some(ChartResolution::Found { chart, .. }) => Some(chart),
        _ => None,
    })
}

fn no_chart() -> Response {
    usc(
        NOT_FOUND,
        "This IR doesn't have any record data yet, or 3 people have not played the chart yet.",
        None,
    )
}

/// `GET /ir/usc/{playtype}`: the heartbeat.
async fn heartbeat<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(playtype): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = begin(&app, &playtype, &headers).await {
        return r;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    usc(
        SUCCESS,
        "IR Request Successful.",
        Some(json!({"serverTime": now, "serverName": app.config.name, "irVersion": "0.4.0-a"})),
    )
}

/// `GET /ir/usc/{playtype}/charts/{hash}`.
async fn chart<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path((playtype, hash)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (gpt, _) = match begin(&app, &playtype, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match find_chart(&app, gpt, &hash).await {
        Err(r) => r,
        Ok(None) => no_chart(),
        Ok(Some(_)) => usc(SUCCESS, "This chart is tracked by the IR.", Some(json!({}))),
    }
}

/// Every PB on a chart (best first), the usernames, and the first score each
/// PB is composed from (for its note and gauge mods).
struct Board {
    pbs: Vec<Value>,
    users: Vec<Value>,
    firsts: Vec<Value>,
}

async fn board<H: ServerHost>(app: &Arc<App<H>>, chart_id: &str) -> Result<Board, Response> {
    let chart_id = chart_id.to_owned();
    blocking(&app.host, move |h| async move {
        let pbs = h.chart_pbs(&chart_id).await?;
        let mut ids: Vec<u64> = pbs.iter().filter_map(|p| p["userID"].as_u64()).collect();
        ids.sort_unstable();
        ids.dedup();
        let users = h.users(&ids).await?;
        let first_ids: Vec<String> = pbs
            .iter()
            .filter_map(|p| p["composedFrom"][0]["scoreID"].as_str().map(str::to_owned))
            .collect();
        let firsts = h.scores_by_id(&first_ids).await?;
        Ok::<_, kaiden::core::host::HostError>(Board { pbs, users, firsts })
    })
    .await
    .map_err(internal)?
    .map_err(internal)
}

impl Board {
    /// Tachi's `TachiScoreToServerScore`.
    fn server_score(&self, pb: &Value) -> Value {
        let user = pb["userID"].as_u64();
        let username = self
            .users
            .iter()
            .find(|u| u["id"].as_u64() == user)
            .and_then(|u| u["username"].as_str())
            .unwrap_or_default();
        let first = pb["composedFrom"][0]["scoreID"].as_str();
        let meta = self
            .firsts
            .iter()
            .find(|s| s["scoreID"].as_str() == first)
            .map(|s| s["scoreMeta"].clone())
            .unwrap_or(Value::Null);
        let sd = &pb["scoreData"];
        let j = |k: &str| {
            if sd["judgements"][k].is_null() {
                json!(0)
            } else {
                sd["judgements"][k].clone()
            }
        };
        let lamp = match sd["lamp"].as_str() {
            Some("CLEAR") => 2,
            Some("EXCESSIVE CLEAR") => 3,
            Some("ULTIMATE CHAIN") => 4,
            Some("PERFECT ULTIMATE CHAIN") => 5,
            _ => 1,
        };
        let or_normal = |v: &Value| v.as_str().unwrap_or("NORMAL").to_owned();
        json!({
            "score": sd["score"],
            "timestamp": pb["timeAchieved"].as_f64().map_or(0.0, |t| (t / 1000.0).floor()),
            "crit": j("critical"),
            "near": j("near"),
            "error": j("miss"),
            "ranking": pb["rankingData"]["rank"],
            "lamp": lamp,
            "username": username,
            "noteMod": or_normal(&meta["noteMod"]),
            "gaugeMod": or_normal(&meta["gaugeMod"]),
        })
    }

    fn rank(pb: &Value) -> u64 {
        pb["rankingData"]["rank"].as_u64().unwrap_or(u64::MAX)
    }
}

/// `GET /ir/usc/{playtype}/charts/{hash}/record`: the server record.
async fn record<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path((playtype, hash)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (gpt, _) = match begin(&app, &playtype, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let chart = match find_chart(&app, gpt, &hash).await {
        Err(r) => return r,
        Ok(None) => return no_chart(),
        Ok(Some(c)) => c,
    };
    let b = match board(&app, &chart.chart_id).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    match b.pbs.iter().find(|p| Board::rank(p) == 1) {
        None => usc(NOT_FOUND, "No server record found.", None),
        Some(pb) => usc(
            SUCCESS,
            "Retrieved score.",
            Some(json!({"record": b.server_score(pb)})),
        ),
    }
}

/// `GET /ir/usc/{playtype}/charts/{hash}/leaderboard?mode=best&n=N`.
async fn leaderboard<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path((playtype, hash)): Path<(String, String)>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let query: BTreeMap<String, String> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                crate::routes::percent_decode(k),
                crate::routes::percent_decode(v),
            )
        })
        .collect();
    let (gpt, _) = match begin(&app, &playtype, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let chart = match find_chart(&app, gpt, &hash).await {
        Err(r) => return r,
        Ok(None) => return no_chart(),
        Ok(Some(c)) => c,
    };
    let mode = query.get("mode").map(String::as_str);
    if !matches!(mode, Some("best" | "rivals")) {
        return usc(
            BAD_REQ,
            "Invalid 'mode' param - expected 'best' or 'rivals'.",
            None,
        );
    }
    let bad_n = || {
        usc(
            BAD_REQ,
            format!(
                "Invalid 'n' param - expected a positive non-zero integer less than or equal to {MAX_LEADERBOARD_N}."
            ),
            None,
        )
    };
    let Some(n) = query.get("n") else {
        return bad_n();
    };
    let digits = n.strip_prefix('-').unwrap_or(n);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return bad_n();
    }
    let n: u64 = match n.parse::<i64>() {
        Ok(v) if v > 0 => u64::try_from(v).unwrap_or(MAX_LEADERBOARD_N),
        // Too long to be a safe integer, or not above zero.
        _ => return bad_n(),
    };
    let n = n.min(MAX_LEADERBOARD_N);
    if mode == Some("rivals") {
        return usc(BAD_REQ, "This is currently unsupported.", None);
    }
    let b = match board(&app, &chart.chart_id).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let scores: Vec<Value> = b
        .pbs
        .iter()
        .take(usize::try_from(n).unwrap_or(10))
        .map(|p| b.server_score(p))
        .collect();
    usc(
        SUCCESS,
        format!("Returned {} scores.", scores.len()),
        Some(Value::Array(scores)),
    )
}

/// `POST /ir/usc/{playtype}/scores`.
async fn scores<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(playtype): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (gpt, key) = match begin_submitting(&app, &playtype, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => return usc(BAD_REQ, e.body_text(), None),
    };
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Err(e) =
        kaiden::core::prudence::check_opt(v.get("chart"), kaiden::usc::chart_schema(), true)
    {
        return usc(BAD_REQ, e.format("Invalid chart."), None);
    }
    let hash = v["chart"]["chartHash"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let chart = match find_chart(&app, gpt, &hash).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut fields = crate::hooks::received_now();
    fields.insert(kaiden::usc::PLAYTYPE.to_owned(), playtype.clone());
    let user = key.user;
    let r = crate::hooks::run_import(
        &app,
        user,
        ImportType::IR_USC,
        body.to_vec(),
        fields,
        BTreeMap::new(),
    )
    .await;
    let doc = match r {
        Err(e) => return internal(e),
        Ok(Err(e)) => {
            let e = ApiError::from_import(&e);
            let code = if e.status == StatusCode::INTERNAL_SERVER_ERROR {
                SERVER_ERROR
            } else {
                BAD_REQ
            };
            return usc(code, e.description, None);
        }
        Ok(Ok(doc)) => doc,
    };
    let first_error = doc.errors.first().map(|e| {
        let kind = serde_json::to_value(e.error_type)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        (kind, e.message.clone())
    });
    if let Some((kind, message)) = &first_error {
        if kind != "SongOrChartNotFound" {
            return usc(BAD_REQ, format!("{kind} {message}"), None);
        }
    }
    let Some(chart) = chart else {
        return usc(
            ACCEPTED,
            "This score has been saved, but the chart is not currently on the IR.",
            Some(json!({})),
        );
    };
    if let Some((kind, message)) = first_error {
        return usc(BAD_REQ, format!("{kind} {message}"), None);
    }
    let Some(score_id) = doc.score_ids.first().map(String::from) else {
        return usc(
            SUCCESS,
            "Score was identical to another score you already have.",
            None,
        );
    };
    let b = match board(&app, &chart.chart_id).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let submitted = {
        let id = score_id.clone();
        match blocking(
            &app.host,
            move |h| async move { h.scores_by_id(&[id]).await },
        )
        .await
        {
            Ok(Ok(s)) => s.into_iter().next(),
            _ => None,
        }
    };
    let (Some(pb), Some(record), Some(submitted)) = (
        b.pbs.iter().find(|p| p["userID"].as_u64() == Some(user)),
        b.pbs.iter().find(|p| Board::rank(p) == 1),
        submitted,
    ) else {
        return usc(SERVER_ERROR, "An internal server error has occured.", None);
    };
    let mine = Board::rank(pb);
    let mut above: Vec<&Value> = b
        .pbs
        .iter()
        .filter(|p| Board::rank(p) < mine)
        .rev()
        .take(ADJACENT_N)
        .collect();
    above.reverse();
    // Tachi leaves the server record out of the neighbours above when it is
    // among them (it is sent as `serverRecord`).
    if mine.saturating_sub(ADJACENT_N as u64) <= 1 && !above.is_empty() {
        above.remove(0);
    }
    let below: Vec<&Value> = b
        .pbs
        .iter()
        .filter(|p| Board::rank(p) > mine)
        .take(ADJACENT_N)
        .collect();
    usc(
        SUCCESS,
        "Successfully imported score.",
        Some(json!({
            "score": b.server_score(pb),
            "serverRecord": b.server_score(record),
            "isServerRecord": pb["userID"] == record["userID"],
            // Whether the submitted score is the player's best (by score).
            "isPB": pb["scoreData"]["score"] == submitted["scoreData"]["score"],
            "sendReplay": score_id,
            "adjacentAbove": above.iter().map(|p| b.server_score(p)).collect::<Vec<_>>(),
            "adjacentBelow": below.iter().map(|p| b.server_score(p)).collect::<Vec<_>>(),
        })),
    )
}

const BAD_UPLOAD: &str = "File provided was too large, corrupt, or provided in the wrong field.";

/// `POST /ir/usc/{playtype}/replays`: multipart `replay` (≤ 1 MiB) and
/// `identifier` (a scoreID of the caller's, of USC).
async fn replays<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(playtype): Path<String>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let (_, key) = match begin_submitting(&app, &playtype, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(mut form) = form else {
        return plain(StatusCode::BAD_REQUEST, BAD_UPLOAD);
    };
    let mut identifier = None;
    let mut file: Option<Vec<u8>> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return plain(StatusCode::BAD_REQUEST, BAD_UPLOAD),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            if name != "replay" || file.is_some() {
                return plain(StatusCode::BAD_REQUEST, BAD_UPLOAD);
            }
            let mut field = field;
            let mut bytes = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(c)) => {
                        if bytes.len() + c.len() > MAX_REPLAY {
                            return plain(StatusCode::BAD_REQUEST, BAD_UPLOAD);
                        }
                        bytes.extend_from_slice(&c);
                    }
                    Ok(None) => break,
                    Err(_) => return plain(StatusCode::BAD_REQUEST, BAD_UPLOAD),
                }
            }
            file = Some(bytes);
        } else if name == "identifier" {
            match field.text().await {
                Ok(t) => identifier = Some(t),
                Err(_) => return plain(StatusCode::BAD_REQUEST, BAD_UPLOAD),
            }
        }
    }
    let Some(identifier) = identifier else {
        return usc(BAD_REQ, "No Identifier Provided.", None);
    };
    let Some(file) = file else {
        return usc(BAD_REQ, "No File Provided.", None);
    };
    let id = identifier.clone();
    let score = match blocking(
        &app.host,
        move |h| async move { h.scores_by_id(&[id]).await },
    )
    .await
    {
        Ok(Ok(s)) => s.into_iter().next(),
        Ok(Err(e)) => return internal(e),
        Err(e) => return internal(e),
    };
    // The score must be the caller's, and of USC: nobody overwrites another
    // player's replay.
    let owned = score.is_some_and(|s| s["userID"].as_u64() == Some(key.user) && s["game"] == "usc");
    if !owned {
        return usc(NOT_FOUND, "No score corresponds to this identifier.", None);
    }
    let stored = blocking(&app.host, move |h| async move {
        h.put_replay(&identifier, &file).await
    })
    .await;
    match stored {
        Ok(Ok(())) => usc(SUCCESS, "Saved replay.", Some(json!({}))),
        _ => usc(
            SERVER_ERROR,
            "An error has occured in storing the replay.",
            None,
        ),
    }
}

/// `GET /uscir/replays/{scoreID}`: a stored replay, as Tachi's CDN serves it.
async fn replay_file<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(score_id): Path<String>,
) -> Response {
    match blocking(&app.host, move |h| async move { h.replay(&score_id).await }).await {
        Ok(Ok(Some(bytes))) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/octet-stream")],
            bytes,
        )
            .into_response(),
        Ok(Ok(None)) => plain(StatusCode::NOT_FOUND, "No replay is stored for this score."),
        Ok(Err(e)) => ApiError::from_host(&e).into_response(),
        Err(e) => e.into_response(),
    }
}
