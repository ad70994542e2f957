//! Konami's EA3 software id (`X-Software-Model: LDJ:J:B:A:2020092900`), which
//! the IIDX and SDVX score hooks send: model, destination, spec, revision and
//! the release date code.

/// INFINITAS 2.
pub const MODEL_INFINITAS_2: &str = "P2D";
/// IIDX arcade.
pub const MODEL_IIDX: &str = "LDJ";
/// IIDX lightning cabinets.
pub const MODEL_IIDX_LIGHTNING: &str = "TDJ";
/// SDVX Konaste.
pub const MODEL_SDVX_KONASTE: &str = "QCV";
/// The normal revision.
pub const REV_NORMAL: &str = "A";
/// Omnimix.
pub const REV_OMNIMIX: &str = "X";
/// 2dxtra.
pub const REV_2DXTRA: &str = "E";
/// 2DX_BMS (refused by the hooks).
pub const REV_2DXBMS: &str = "Z";

/// A parsed EA3 software id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ea3SoftId<'a> {
    /// Three upper-case letters or digits (`LDJ`).
    pub model: &'a str,
    /// Region letter.
    pub dest: &'a str,
    /// Spec letter.
    pub spec: &'a str,
    /// Revision letter (`A`, `X`, `E`, `Z`).
    pub rev: &'a str,
    /// Ten digits: the release date code (`2020092900`).
    pub ext: &'a str,
}

impl<'a> Ea3SoftId<'a> {
    /// Parses `model:dest:spec:rev:ext` exactly as Tachi does
    /// (`^[A-Z0-9]{3}:[A-Z]:[A-Z]:[A-Z]:[0-9]{10}$`).
    #[must_use]
    pub fn parse(s: &'a str) -> Option<Self> {
        let parts: Vec<&str> = s.split(':').collect();
        let [model, dest, spec, rev, ext] = parts.as_slice() else {
            return None;
        };
        let upper = |p: &str| p.len() == 1 && p.bytes().all(|b| b.is_ascii_uppercase());
        let ok = model.len() == 3
            && model
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && upper(dest)
            && upper(spec)
            && upper(rev)
            && ext.len() == 10
            && ext.bytes().all(|b| b.is_ascii_digit());
        ok.then_some(Ea3SoftId {
            model,
            dest,
            spec,
            rev,
            ext,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_ids_parse_as_tachi_parses_them() {
        let id = Ea3SoftId::parse("LDJ:J:B:A:2020092900").expect("valid");
        assert_eq!((id.model, id.rev, id.ext), ("LDJ", "A", "2020092900"));
        assert!(Ea3SoftId::parse("QCV:J:C:A:2021100600").is_some());
        for bad in [
            "",
            "LDJ:J:B:A",
            "LDJ:J:B:A:2020092900:1",
            "ldj:J:B:A:2020092900",
            "LDJ:J:B:A:NONSENSE",
            "LDJ:J:B:AA:2020092900",
            "LDJ:J:B:A:202009290",
            "LDJ:J:B:A:２０２００９２９００",
        ] {
            assert_eq!(Ea3SoftId::parse(bad), None, "{bad}");
        }
    }
}
