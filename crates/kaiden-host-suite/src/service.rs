//! What every server store must do ([`ServiceStore`], [`IntegrationStore`]),
//! generic over the host: API keys, the durable import queue (claims, leases,
//! requeues, failures, recovery), listings and users' tokens.

use std::collections::BTreeMap;

use kaiden::core::ImportType;
use kaiden::service::{
    HookSettings, HookStore, ImportFilter, ImportState, IntegrationStore, KaiTokens, QueuedImport,
    ServiceStore, hash_api_key,
};

use crate::{T0, TestHost, USER, batch, block_on, env, run, score};

/// A host the server can run on: the suite's [`TestHost`] whose host is also
/// a server's store.
pub trait TestServiceHost: TestHost
where
    Self::Host: ServiceStore + IntegrationStore + HookStore,
{
    /// Creates an API key for `user` with `permissions`; the token.
    fn create_api_key(&self, user: u64, permissions: &[&str]) -> Result<String, String>;
}

/// Runs every case of [`crate::service`] as a `#[test]` against `$h`.
#[macro_export]
macro_rules! service_suite {
    ($h:ty) => {
        $crate::host_suite!(@service $h;
            api_keys_are_found_by_their_hash_with_their_permissions,
            a_queued_import_is_claimed_once_and_completed,
            a_queued_upload_is_claimed_back_byte_for_byte_however_large,
            a_requeued_import_waits_until_due_and_counts_its_retries,
            a_failed_import_keeps_its_status_and_message,
            failed_imports_are_kept_and_listed_newest_first,
            a_claim_whose_lease_ran_out_is_taken_over_and_recovery_requeues_running_jobs,
            listings_of_imports_filter_and_order_newest_first,
            users_and_the_import_view,
            tokens_are_per_user_and_service,
            hook_settings_are_per_user_and_the_static_flag_is_taken_once,
            chart_pbs_list_every_player_best_first,
            scores_read_back_by_id_and_replays_are_kept_per_score
        );
    };
}

fn job(id: &str, user: u64) -> QueuedImport {
    QueuedImport {
        import_id: id.to_owned(),
        user,
        user_intent: true,
        import_type: ImportType::FILE_BATCH_MANUAL,
        input: b"{}".to_vec(),
        filename: Some("scores.json".to_owned()),
        fields: BTreeMap::from([("playtype".to_owned(), "SP".to_owned())]),
        headers: BTreeMap::new(),
        runs: 0,
        lock_retries: 0,
    }
}

/// A case of the suite (its name says what it checks).
pub fn api_keys_are_found_by_their_hash_with_their_permissions<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-keys", false);
    let token = e.host.create_api_key(USER, &["submit_score"]).unwrap();
    assert_eq!(token.len(), 40);
    let key = block_on(e.host.host().api_key(&hash_api_key(&token)))
        .unwrap()
        .expect("stored by hash");
    assert_eq!(key.user, USER);
    assert!(key.allows("submit_score"));
    assert!(!key.allows("delete_score"));
    // Not by the token itself, and never for an unknown user or permission.
    assert_eq!(block_on(e.host.host().api_key(&token)).unwrap(), None);
    assert!(e.host.create_api_key(999, &["submit_score"]).is_err());
    assert!(e.host.create_api_key(USER, &["fly"]).is_err());
    let other = e.host.create_api_key(USER, &["submit_score"]).unwrap();
    assert_ne!(other, token);
}

/// A case of the suite (its name says what it checks).
pub fn a_queued_import_is_claimed_once_and_completed<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-claim", false);
    let h = e.host.host();
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
    block_on(h.enqueue_import(&job("a", USER))).unwrap();
    assert_eq!(
        block_on(h.import_state("a")).unwrap(),
        Some(ImportState::Queued)
    );
    let claimed = block_on(h.claim_import(60_000)).unwrap().expect("due");
    assert_eq!(claimed.import_id, "a");
    assert_eq!(claimed.runs, 1);
    assert_eq!(claimed.input, b"{}");
    assert_eq!(claimed.fields["playtype"], "SP");
    assert_eq!(claimed.filename.as_deref(), Some("scores.json"));
    assert!(claimed.user_intent);
    assert_eq!(
        block_on(h.import_state("a")).unwrap(),
        Some(ImportState::Running)
    );
    // Claimed: nobody else gets it while the lease lasts.
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
    block_on(h.complete_import("a")).unwrap();
    assert_eq!(
        block_on(h.import_state("a")).unwrap(),
        Some(ImportState::Completed)
    );
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
    assert_eq!(block_on(h.import_state("nope")).unwrap(), None);
}

/// A case of the suite (its name says what it checks).
pub fn a_queued_upload_is_claimed_back_byte_for_byte_however_large<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-upload", false);
    let h = e.host.host();
    let bytes: Vec<u8> = (0..300_017u32).map(|i| (i * 31 % 251) as u8).collect();
    let mut big = job("big", USER);
    big.input = bytes.clone();
    let mut empty = job("empty", USER);
    empty.input = Vec::new();
    block_on(h.enqueue_import(&big)).unwrap();
    let claimed = block_on(h.claim_import(60_000)).unwrap().expect("due");
    assert_eq!(claimed.import_id, "big");
    assert!(claimed.input == bytes, "{} bytes back", claimed.input.len());
    // Requeued, it is claimed again with the same bytes.
    block_on(h.requeue_import("big", 0)).unwrap();
    let again = block_on(h.claim_import(60_000))
        .unwrap()
        .expect("due again");
    assert!(again.input == bytes);
    block_on(h.complete_import("big")).unwrap();
    block_on(h.enqueue_import(&empty)).unwrap();
    let claimed = block_on(h.claim_import(60_000)).unwrap().expect("due");
    assert_eq!(
        (claimed.import_id.as_str(), claimed.input.len()),
        ("empty", 0)
    );
    block_on(h.fail_import("empty", 400, "no")).unwrap();
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
    // Read from a stream and written to one: the same bytes, none in the job.
    let mut streamed = job("streamed", USER);
    streamed.input = Vec::new();
    let mut from: &[u8] = &bytes;
    block_on(h.enqueue_import_from(&streamed, &mut from, bytes.len() as u64)).unwrap();
    let mut out: Vec<u8> = Vec::new();
    let claimed = block_on(h.claim_import_into(60_000, &mut out))
        .unwrap()
        .expect("due");
    assert_eq!(claimed.import_id, "streamed");
    assert!(claimed.input.is_empty());
    assert!(out == bytes, "{} bytes back", out.len());
    assert_eq!(claimed.fields["playtype"], "SP");
    // Nothing due: nothing written.
    let mut none: Vec<u8> = Vec::new();
    assert_eq!(
        block_on(h.claim_import_into(60_000, &mut none)).unwrap(),
        None
    );
    assert!(none.is_empty());
}

/// A case of the suite (its name says what it checks).
pub fn a_requeued_import_waits_until_due_and_counts_its_retries<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-requeue", false);
    let h = e.host.host();
    block_on(h.enqueue_import(&job("a", USER))).unwrap();
    let first = block_on(h.claim_import(60_000)).unwrap().expect("due");
    block_on(h.requeue_import(&first.import_id, 60_000)).unwrap();
    assert_eq!(
        block_on(h.import_state("a")).unwrap(),
        Some(ImportState::Queued)
    );
    // Due in a minute: not now.
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
    block_on(h.enqueue_import(&job("b", USER))).unwrap();
    block_on(h.enqueue_import(&job("c", USER))).unwrap();
    // Oldest first among the due.
    let next = block_on(h.claim_import(60_000)).unwrap().expect("b is due");
    assert_eq!(next.import_id, "b");
    block_on(h.requeue_import("b", 0)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    // Due again now, beside c (which of the two comes first depends on the
    // clock's millisecond): both are claimed, and only them.
    let mut claimed: Vec<QueuedImport> = (0..2)
        .map(|_| block_on(h.claim_import(60_000)).unwrap().expect("due"))
        .collect();
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
    claimed.sort_by(|x, y| x.import_id.cmp(&y.import_id));
    assert_eq!(claimed[0].import_id, "b");
    assert_eq!(claimed[1].import_id, "c");
    // A requeue gives the run back and counts a retry.
    assert_eq!((claimed[0].runs, claimed[0].lock_retries), (1, 1));
    assert_eq!((claimed[1].runs, claimed[1].lock_retries), (1, 0));
}

/// A case of the suite (its name says what it checks).
pub fn a_failed_import_keeps_its_status_and_message<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-fail", false);
    let h = e.host.host();
    block_on(h.enqueue_import(&job("a", USER))).unwrap();
    block_on(h.claim_import(60_000)).unwrap().expect("due");
    block_on(h.fail_import("a", 409, "locked for good")).unwrap();
    assert_eq!(
        block_on(h.import_state("a")).unwrap(),
        Some(ImportState::Failed {
            status: 409,
            message: "locked for good".to_owned()
        })
    );
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
}

/// A case of the suite (its name says what it checks).
pub fn failed_imports_are_kept_and_listed_newest_first<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-failed-list", false);
    e.host.ensure_user(2, "other").unwrap();
    let h = e.host.host();
    // A queued import that failed, then two that failed in a request.
    block_on(h.enqueue_import(&job("queued", USER))).unwrap();
    block_on(h.claim_import(60_000)).unwrap().expect("due");
    block_on(h.fail_import("queued", 400, "bad file")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut direct = job("direct", USER);
    direct.user_intent = false;
    block_on(h.record_failed_import(&direct, 500, "the store failed")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    block_on(h.record_failed_import(&job("other", 2), 400, "not JSON")).unwrap();
    // A recorded failure is never claimed, and polls as its error.
    assert_eq!(block_on(h.claim_import(60_000)).unwrap(), None);
    assert_eq!(
        block_on(h.import_state("direct")).unwrap(),
        Some(ImportState::Failed {
            status: 500,
            message: "the store failed".to_owned()
        })
    );
    // A completed import is not listed.
    block_on(h.enqueue_import(&job("fine", USER))).unwrap();
    block_on(h.claim_import(60_000)).unwrap().expect("due");
    block_on(h.complete_import("fine")).unwrap();

    let all = block_on(h.failed_imports(None, 10)).unwrap();
    let ids: Vec<&str> = all.iter().map(|f| f.import_id.as_str()).collect();
    assert_eq!(ids, ["other", "direct", "queued"]);
    let mine = block_on(h.failed_imports(Some(USER), 10)).unwrap();
    let ids: Vec<&str> = mine.iter().map(|f| f.import_id.as_str()).collect();
    assert_eq!(ids, ["direct", "queued"]);
    assert_eq!(block_on(h.failed_imports(None, 1)).unwrap().len(), 1);
    let d = &mine[0];
    assert_eq!(
        serde_json::to_value(d).unwrap(),
        serde_json::json!({
            "type": "FAILED", "importID": "direct", "userID": USER,
            "importType": "file/batch-manual", "userIntent": false,
            "timeStarted": d.time_started,
            "error": {"message": "the store failed", "statusCode": 500}
        })
    );
    assert!(d.time_started >= T0, "a real time: {}", d.time_started);
    assert!(mine[1].time_started <= d.time_started);
    assert!(block_on(h.failed_imports(Some(3), 10)).unwrap().is_empty());
}

/// A case of the suite (its name says what it checks).
pub fn a_claim_whose_lease_ran_out_is_taken_over_and_recovery_requeues_running_jobs<
    H: TestServiceHost,
>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-lease", false);
    let h = e.host.host();
    block_on(h.enqueue_import(&job("a", USER))).unwrap();
    // A lease of -1 ms has run out at once: another worker takes the job over.
    let first = block_on(h.claim_import(-1)).unwrap().expect("due");
    let taken = block_on(h.claim_import(60_000))
        .unwrap()
        .expect("lease ran out");
    assert_eq!(taken.import_id, first.import_id);
    assert_eq!(taken.runs, 2);
    // A restarted server puts back what its dead workers held.
    block_on(h.enqueue_import(&job("b", USER))).unwrap();
    block_on(h.claim_import(60_000)).unwrap().expect("b");
    assert_eq!(block_on(h.recover_imports()).unwrap(), 2);
    assert_eq!(
        block_on(h.import_state("a")).unwrap(),
        Some(ImportState::Queued)
    );
    assert!(block_on(h.claim_import(60_000)).unwrap().is_some());
}

/// A case of the suite (its name says what it checks).
pub fn listings_of_imports_filter_and_order_newest_first<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-list", false);
    e.host.ensure_user(2, "rival").unwrap();
    let first = run(
        &e.host,
        &batch(vec![score("Alpha", 1000, "CLEAR", Some(T0))]),
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let second = run(&e.host, &batch(vec![score("Beta", 700, "CLEAR", Some(T0))])).unwrap();
    crate::run_as(
        &e.host,
        2,
        &batch(vec![score("Alpha", 900, "CLEAR", Some(T0))]),
        &kaiden::pipeline::NoProgress,
    )
    .unwrap();
    let h = e.host.host();
    let all = block_on(h.imports(&ImportFilter::default(), 10)).unwrap();
    assert_eq!(all.len(), 3);
    let mine = block_on(h.imports(
        &ImportFilter {
            user: Some(USER),
            ..ImportFilter::default()
        },
        10,
    ))
    .unwrap();
    let ids: Vec<&str> = mine
        .iter()
        .map(|d| d["importID"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [second.import_id.as_str(), first.import_id.as_str()]);
    let one = block_on(h.imports(
        &ImportFilter {
            user: Some(USER),
            ..ImportFilter::default()
        },
        1,
    ))
    .unwrap();
    assert_eq!(one.len(), 1);
    // Pages: after the newest, the rest; after the oldest, nothing.
    let page = |after: &str, limit: usize| {
        block_on(h.imports(
            &ImportFilter {
                after: Some(after.to_owned()),
                ..ImportFilter::default()
            },
            limit,
        ))
        .unwrap()
        .iter()
        .map(|d| d["importID"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>()
    };
    let every: Vec<String> = all
        .iter()
        .map(|d| d["importID"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(page(&every[0], 10), every[1..].to_vec());
    assert_eq!(page(&every[0], 1), every[1..2].to_vec());
    assert_eq!(page(&every[1], 10), every[2..].to_vec());
    assert!(page(&every[2], 10).is_empty());
    assert!(page("no-such-import", 10).is_empty());
    let intent = block_on(h.imports(
        &ImportFilter {
            user_intent: Some(true),
            ..ImportFilter::default()
        },
        10,
    ))
    .unwrap();
    assert!(intent.is_empty());
    let other_type = block_on(h.imports(
        &ImportFilter {
            import_type: Some(ImportType::IR_DIRECT_MANUAL),
            ..ImportFilter::default()
        },
        10,
    ))
    .unwrap();
    assert!(other_type.is_empty());
}

/// A case of the suite (its name says what it checks).
pub fn users_and_the_import_view<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-view", false);
    let doc = run(
        &e.host,
        &batch(vec![score("Alpha", 1000, "CLEAR", Some(T0))]),
    )
    .unwrap();
    let h = e.host.host();
    let users = block_on(h.users(&[USER, 999])).unwrap();
    assert_eq!(
        users,
        vec![serde_json::json!({"id": USER, "username": "tester"})]
    );
    let view = block_on(h.import_view(&doc.import_id))
        .unwrap()
        .expect("stored");
    assert_eq!(view["import"]["importID"], doc.import_id.as_str());
    assert_eq!(view["scores"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        view["scores"][0]["scoreID"],
        doc.score_ids.to_vec()[0].as_str()
    );
    assert_eq!(view["charts"][0]["chartID"], "alpha-spa");
    assert_eq!(view["songs"][0]["title"], "Alpha");
    assert_eq!(view["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(view["user"]["username"], "tester");
    assert_eq!(block_on(h.import_view("nope")).unwrap(), None);
}

/// A case of the suite (its name says what it checks).
pub fn tokens_are_per_user_and_service<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-tokens", false);
    e.host.ensure_user(2, "rival").unwrap();
    let h = e.host.host();
    let t = |a: &str| KaiTokens {
        access_token: a.to_owned(),
        refresh_token: format!("{a}-refresh"),
    };
    assert_eq!(h.kai_tokens(USER, "FLO").unwrap(), None);
    h.put_kai_tokens(USER, "FLO", &t("one")).unwrap();
    h.put_kai_tokens(2, "FLO", &t("two")).unwrap();
    h.put_kai_tokens(USER, "EAG", &t("three")).unwrap();
    assert_eq!(h.kai_tokens(USER, "FLO").unwrap(), Some(t("one")));
    assert_eq!(h.kai_tokens(2, "FLO").unwrap(), Some(t("two")));
    assert_eq!(h.kai_tokens(USER, "EAG").unwrap(), Some(t("three")));
    // Rotated: replaced.
    h.put_kai_tokens(USER, "FLO", &t("four")).unwrap();
    assert_eq!(h.kai_tokens(USER, "FLO").unwrap(), Some(t("four")));
    // CG cards, likewise per user and service, apart from the tokens.
    let card = |id: &str| kaiden::service::CgCard {
        card_id: id.to_owned(),
        pin: "1234".to_owned(),
    };
    assert_eq!(h.cg_card(USER, "CG-DEV").unwrap(), None);
    h.put_cg_card(USER, "CG-DEV", &card("E0040001")).unwrap();
    h.put_cg_card(2, "CG-DEV", &card("E0040002")).unwrap();
    h.put_cg_card(USER, "CG-NAG", &card("E0040003")).unwrap();
    assert_eq!(h.cg_card(USER, "CG-DEV").unwrap(), Some(card("E0040001")));
    assert_eq!(h.cg_card(2, "CG-DEV").unwrap(), Some(card("E0040002")));
    assert_eq!(h.cg_card(USER, "CG-NAG").unwrap(), Some(card("E0040003")));
    assert_eq!(h.cg_card(USER, "CG-GAN").unwrap(), None);
    h.put_cg_card(USER, "CG-DEV", &card("E0040004")).unwrap();
    assert_eq!(h.cg_card(USER, "CG-DEV").unwrap(), Some(card("E0040004")));
    // MYT: one access code a user, replaced in place.
    assert_eq!(h.myt_card(USER).unwrap(), None);
    h.put_myt_card(USER, "01234567890123456789").unwrap();
    h.put_myt_card(2, "99999999999999999999").unwrap();
    h.put_myt_card(USER, "11111111111111111111").unwrap();
    assert_eq!(
        h.myt_card(USER).unwrap().as_deref(),
        Some("11111111111111111111")
    );
    assert_eq!(
        h.myt_card(2).unwrap().as_deref(),
        Some("99999999999999999999")
    );
    assert_eq!(h.kai_tokens(USER, "FLO").unwrap(), Some(t("four")));
}

/// A case of the suite (its name says what it checks).
pub fn hook_settings_are_per_user_and_the_static_flag_is_taken_once<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-hooks", false);
    e.host.ensure_user(2, "rival").unwrap();
    let h = e.host.host();
    assert_eq!(
        h.hook_settings(USER, "fervidex").unwrap(),
        HookSettings::default()
    );
    assert!(!h.take_force_static_import(USER, "fervidex").unwrap());
    let mine = HookSettings {
        cards: Some(vec!["C1".to_owned(), "C2".to_owned()]),
        force_static_import: true,
    };
    h.put_hook_settings(USER, "fervidex", &mine).unwrap();
    h.put_hook_settings(
        2,
        "fervidex",
        &HookSettings {
            cards: None,
            force_static_import: true,
        },
    )
    .unwrap();
    assert_eq!(h.hook_settings(USER, "fervidex").unwrap(), mine);
    assert_eq!(
        h.hook_settings(USER, "kshook-sv6c").unwrap(),
        HookSettings::default()
    );
    // Of several takers at once, exactly one sees the flag.
    let taken = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                if h.take_force_static_import(USER, "fervidex").unwrap() {
                    taken.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
        }
    });
    assert_eq!(taken.into_inner(), 1);
    let after = h.hook_settings(USER, "fervidex").unwrap();
    assert!(!after.force_static_import);
    assert_eq!(after.cards, mine.cards, "taking the flag keeps the cards");
    // The other user's flag is theirs.
    assert!(h.take_force_static_import(2, "fervidex").unwrap());
}

/// A case of the suite (its name says what it checks).
pub fn chart_pbs_list_every_player_best_first<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-chart-pbs", false);
    e.host.ensure_user(2, "rival").unwrap();
    let np = kaiden::pipeline::NoProgress;
    crate::run_as(
        &e.host,
        USER,
        &batch(vec![score("Alpha", 1000, "CLEAR", Some(T0))]),
        &np,
    )
    .unwrap();
    crate::run_as(
        &e.host,
        2,
        &batch(vec![score("Alpha", 1500, "HARD CLEAR", Some(T0))]),
        &np,
    )
    .unwrap();
    crate::run_as(
        &e.host,
        2,
        &batch(vec![score("Beta", 800, "CLEAR", Some(T0))]),
        &np,
    )
    .unwrap();
    let h = e.host.host();
    let mine = e.host.documents("pbs", USER).unwrap();
    assert_eq!(mine.len(), 1);
    let chart = mine[0]["chartID"].as_str().unwrap().to_owned();
    let pbs = block_on(h.chart_pbs(&chart)).unwrap();
    let got: Vec<(u64, u64, f64)> = pbs
        .iter()
        .map(|p| {
            (
                p["userID"].as_u64().unwrap(),
                p["rankingData"]["rank"].as_u64().unwrap(),
                p["scoreData"]["score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, vec![(2, 1, 1500.0), (USER, 2, 1000.0)]);
    assert!(block_on(h.chart_pbs("nope")).unwrap().is_empty());
}

/// A case of the suite (its name says what it checks).
pub fn scores_read_back_by_id_and_replays_are_kept_per_score<H: TestServiceHost>()
where
    H::Host: ServiceStore + IntegrationStore + HookStore,
{
    let e = env::<H>("svc-replays", false);
    let doc = crate::run(
        &e.host,
        &batch(vec![score("Alpha", 1000, "CLEAR", Some(T0))]),
    )
    .unwrap();
    let id = doc.score_ids.to_vec()[0].clone();
    let h = e.host.host();
    let got = block_on(h.scores_by_id(&[id.clone(), "T-none".to_owned()])).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["scoreID"], id.as_str());
    assert_eq!(got[0]["userID"], USER);
    assert_eq!(block_on(h.replay(&id)).unwrap(), None);
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    block_on(h.put_replay(&id, &bytes)).unwrap();
    assert_eq!(
        block_on(h.replay(&id)).unwrap().as_deref(),
        Some(&bytes[..])
    );
    // A second upload replaces the first.
    block_on(h.put_replay(&id, b"second")).unwrap();
    assert_eq!(
        block_on(h.replay(&id)).unwrap().as_deref(),
        Some(&b"second"[..])
    );
    assert_eq!(block_on(h.replay("T-none")).unwrap(), None);
}
