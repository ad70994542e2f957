//! Random ids and session names.

use kaiden_core::error::ImportError;

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, ImportError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)
        .map_err(|e| ImportError::internal(format!("no randomness available: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new importID: 20 random bytes as 40 lowercase hex characters (Tachi's form).
pub fn new_import_id() -> Result<String, ImportError> {
    random_hex(20)
}

/// A new chartID for a chart created from play: 40 hex, as Tachi's.
pub fn new_chart_id() -> Result<String, ImportError> {
    random_hex(20)
}

/// A new sessionID: `Q` + 40 hex.
pub fn new_session_id() -> Result<String, ImportError> {
    Ok(format!("Q{}", random_hex(20)?))
}

const ADJECTIVES: &[&str] = &[
    "Amber",
    "Brisk",
    "Calm",
    "Daring",
    "Eager",
    "Fierce",
    "Gentle",
    "Hasty",
    "Icy",
    "Jolly",
    "Keen",
    "Lively",
    "Mellow",
    "Nimble",
    "Odd",
    "Proud",
    "Quiet",
    "Rapid",
    "Silent",
    "Tidy",
    "Upbeat",
    "Vivid",
    "Wild",
    "Young",
    "Zesty",
    "Bright",
    "Cosmic",
    "Dusky",
    "Electric",
    "Frosty",
    "Golden",
    "Hollow",
    "Infinite",
    "Lucky",
    "Midnight",
    "Neon",
    "Polished",
    "Restless",
    "Scarlet",
    "Steady",
    "Swift",
    "Tender",
    "Velvet",
    "Wandering",
    "Crimson",
    "Distant",
    "Gleaming",
];

const NOUNS: &[&str] = &[
    "Anthem",
    "Beat",
    "Chorus",
    "Drum",
    "Echo",
    "Fader",
    "Groove",
    "Harmony",
    "Interlude",
    "Jam",
    "Keyboard",
    "Lantern",
    "Melody",
    "Note",
    "Overture",
    "Pulse",
    "Refrain",
    "Scratch",
    "Tempo",
    "Verse",
    "Waltz",
    "Rhythm",
    "Cadence",
    "Comet",
    "Dancer",
    "Engine",
    "Falcon",
    "Garden",
    "Harbor",
    "Island",
    "Journey",
    "Kite",
    "Meadow",
    "Nebula",
    "Orbit",
    "Pilot",
    "River",
    "Signal",
    "Tower",
    "Voyage",
    "Whisper",
    "Crescendo",
    "Turntable",
    "Encore",
    "Sunrise",
    "Storm",
    "Mirror",
];

/// A session name: two adjectives and a noun, chosen at random (not unique).
pub fn session_name() -> Result<String, ImportError> {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b)
        .map_err(|e| ImportError::internal(format!("no randomness available: {e}")))?;
    let pick = |list: &[&'static str], x: u16| list[usize::from(x) % list.len()];
    Ok(format!(
        "{} {} {}",
        pick(ADJECTIVES, u16::from_le_bytes([b[0], b[1]])),
        pick(ADJECTIVES, u16::from_le_bytes([b[2], b[3]])),
        pick(NOUNS, u16::from_le_bytes([b[4], b[5]]))
    ))
}
