//! Tachi's `UpdateClassIfGreater`: a class a score hook reports outside an
//! import (fervidex's dan courses, LR2's course clears), set only if higher.

use kaiden_core::documents::ClassDelta;
use kaiden_core::host::{GameStats, Host, ImportTransaction, StatsStore};
use kaiden_core::{Gpt, ImportError, UserId};
use kaiden_games::config::GptConfig;

/// Sets the user's `set` class of `gpt` to `class_id` if it is higher than the
/// stored one (or none is stored), in one transaction under the user's import
/// lock. Returns the change, or `None` when the stored class is as high or
/// higher. `old` is `None` when there was no class to compare with.
///
/// # Errors
/// An unknown class set or value (400), the user's lock (409), or the host's.
pub async fn update_class_if_greater<H: Host>(
    host: &H,
    user: UserId,
    gpt: Gpt,
    set: &str,
    class_id: &str,
) -> Result<Option<ClassDelta>, ImportError> {
    let class = GptConfig::of(gpt)
        .class(set)
        .ok_or_else(|| ImportError::invalid(format!("{gpt} has no class set {set}.")))?;
    let new_index = class
        .index_of(class_id)
        .ok_or_else(|| ImportError::invalid(format!("{class_id} is not a {gpt} {set}.")))?;
    let mut tx = host.begin_import(user).await?;
    let run = async {
        let old = tx.game_stats(user, gpt).await?;
        let old_value = old.as_ref().and_then(|s| s.classes.get(set)).cloned();
        let greater = match old_value.as_deref().map(|o| class.index_of(o)) {
            None => None,
            // A stored value the config no longer knows is beaten by any.
            Some(None) => Some(true),
            Some(Some(o)) => Some(new_index > o),
        };
        if greater == Some(false) {
            return Ok(None);
        }
        let mut next = old.unwrap_or_else(|| GameStats {
            ratings: std::collections::BTreeMap::new(),
            classes: std::collections::BTreeMap::new(),
        });
        next.classes.insert(set.to_owned(), class_id.to_owned());
        tx.put_game_stats(user, gpt, &next).await?;
        Ok::<_, ImportError>(Some(ClassDelta {
            game: gpt.game(),
            set: set.to_owned(),
            playtype: gpt.playtype(),
            old: greater.and(old_value),
            new: class_id.to_owned(),
        }))
    };
    match run.await {
        Ok(delta) => {
            tx.commit().await?;
            Ok(delta)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}
