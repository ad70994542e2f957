//! Uploads held out of memory: a file larger than [`IN_MEMORY`] is written to
//! an anonymous temporary file as it arrives, and the import reads it from
//! there as a stream (formats that stream never hold it whole), so a server's
//! memory does not grow with the uploads it is handed.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use kaiden::core::format::{BufReadSeek, InputStream};

/// Uploads up to this size stay in memory (most are far smaller; the disk is
/// not worth touching for them).
pub(crate) const IN_MEMORY: usize = 1024 * 1024;

/// An upload: in memory, or in a temporary file that is already unlinked
/// (gone with its last handle, even if the server dies).
#[derive(Debug)]
pub(crate) enum Upload {
    Memory(Vec<u8>),
    File(Arc<Spooled>),
}

impl Default for Upload {
    fn default() -> Self {
        Self::Memory(Vec::new())
    }
}

impl Upload {
    /// The bytes in memory, or the stream to read instead: what
    /// `ImportInput`'s `bytes` and `stream` take.
    pub(crate) fn as_input(&self) -> (&[u8], Option<Arc<dyn InputStream>>) {
        match self {
            Self::Memory(b) => (b, None),
            Self::File(f) => (&[], Some(Arc::clone(f) as Arc<dyn InputStream>)),
        }
    }
}

/// Takes an upload's chunks as they come: in memory up to [`IN_MEMORY`], then
/// in a temporary file.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    memory: Vec<u8>,
    file: Option<(File, u64)>,
}

impl Writer {
    /// Bytes taken so far.
    pub(crate) fn len(&self) -> u64 {
        self.file
            .as_ref()
            .map_or(self.memory.len() as u64, |(_, n)| *n)
    }

    /// Appends a chunk.
    ///
    /// # Errors
    /// When the temporary file cannot be created or written.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        if self.file.is_none() && self.memory.len() + chunk.len() <= IN_MEMORY {
            self.memory.extend_from_slice(chunk);
            return Ok(());
        }
        self.spill(chunk)
    }

    fn spill(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        if self.file.is_none() {
            let mut f = anonymous_file()?;
            f.write_all(&self.memory)?;
            let n = self.memory.len() as u64;
            self.memory = Vec::new();
            self.file = Some((f, n));
        }
        if let Some((f, n)) = &mut self.file {
            f.write_all(chunk)?;
            *n += chunk.len() as u64;
        }
        Ok(())
    }

    /// The upload taken.
    ///
    /// # Errors
    /// When the temporary file cannot be flushed.
    pub(crate) fn finish(self) -> std::io::Result<Upload> {
        match self.file {
            None => Ok(Upload::Memory(self.memory)),
            Some((mut f, len)) => {
                f.flush()?;
                Ok(Upload::File(Arc::new(Spooled {
                    file: Arc::new(f),
                    len,
                })))
            }
        }
    }
}

impl std::io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.push(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A file in the temporary directory, readable and writable by this user
/// only, unlinked at once (on Unix) so nothing is left behind.
fn anonymous_file() -> std::io::Result<File> {
    let dir = std::env::temp_dir();
    for _ in 0..8 {
        let mut r = [0u8; 12];
        getrandom::fill(&mut r).map_err(|e| std::io::Error::other(e.to_string()))?;
        let name: String = r.iter().map(|b| format!("{b:02x}")).collect();
        let path = dir.join(format!("kaiden-upload-{name}"));
        let mut o = std::fs::OpenOptions::new();
        o.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        match o.open(&path) {
            Ok(f) => {
                #[cfg(unix)]
                {
                    std::fs::remove_file(&path)?;
                    return Ok(f);
                }
                #[cfg(not(unix))]
                {
                    drop(f);
                    let _ = std::fs::remove_file(&path);
                    return Err(std::io::Error::other(
                        "uploads stay in memory where open files cannot be unlinked",
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no unused temporary file name"))
}

/// An upload in a temporary file, as the import reads it.
#[derive(Debug)]
pub(crate) struct Spooled {
    file: Arc<File>,
    len: u64,
}

impl Spooled {
    /// The file from its first byte, and its length.
    pub(crate) fn reader(&self) -> (impl Read + Send + use<>, u64) {
        (
            Reader {
                file: Arc::clone(&self.file),
                pos: 0,
            },
            self.len,
        )
    }
}

impl InputStream for Spooled {
    fn open(&self) -> std::io::Result<Box<dyn BufReadSeek>> {
        Ok(Box::new(std::io::BufReader::with_capacity(
            64 * 1024,
            Reader {
                file: Arc::clone(&self.file),
                pos: 0,
            },
        )))
    }

    fn len(&self) -> u64 {
        self.len
    }
}

/// One reading of a spooled file, at its own position (several may be open
/// at once: a format may read in two passes).
#[derive(Debug)]
struct Reader {
    file: Arc<File>,
    pos: u64,
}

impl Read for Reader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = read_at(&self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Reader {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let len = self.file.metadata()?.len();
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "seek before the first byte",
            )
        })?;
        Ok(self.pos)
    }
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], pos: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, pos)
}

#[cfg(windows)]
fn read_at(f: &File, buf: &mut [u8], pos: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(f, buf, pos)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::BufRead as _;

    fn bytes(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[test]
    fn small_uploads_stay_in_memory_and_large_ones_go_to_a_file_read_back_exactly() {
        let mut w = Writer::default();
        w.push(b"abc").unwrap();
        assert_eq!(w.len(), 3);
        assert!(matches!(w.finish().unwrap(), Upload::Memory(b) if b == b"abc"));

        let want = bytes(IN_MEMORY * 3 + 17);
        let mut w = Writer::default();
        for chunk in want.chunks(100_003) {
            w.push(chunk).unwrap();
        }
        assert_eq!(w.len(), want.len() as u64);
        let up = w.finish().unwrap();
        assert!(matches!(up, Upload::File(_)), "{up:?}");
        let (mem, stream) = up.as_input();
        assert!(mem.is_empty());
        let stream = stream.unwrap();
        assert_eq!(stream.len(), want.len() as u64);
        // Two readings at once keep their own positions.
        let (mut a, mut b) = (stream.open().unwrap(), stream.open().unwrap());
        let first = a.fill_buf().unwrap().len();
        let mut whole_b = Vec::new();
        b.read_to_end(&mut whole_b).unwrap();
        a.consume(first);
        let mut rest_a = Vec::new();
        a.read_to_end(&mut rest_a).unwrap();
        assert_eq!(whole_b, want);
        assert_eq!(&rest_a[..], &want[first..]);
        // Seeking back starts over.
        assert_eq!(a.seek(SeekFrom::Start(5)).unwrap(), 5);
        let mut again = Vec::new();
        a.read_to_end(&mut again).unwrap();
        assert_eq!(&again[..], &want[5..]);
        assert!(a.seek(SeekFrom::Current(-(want.len() as i64) - 1)).is_err());
    }

    /// As the worker fills it (`io::Write`) and the queue reads it back.
    #[test]
    fn written_as_a_writer_and_read_back_as_a_reader() {
        let want = bytes(IN_MEMORY + 1);
        let mut w = Writer::default();
        for piece in want.chunks(65_536) {
            std::io::Write::write_all(&mut w, piece).unwrap();
        }
        let Upload::File(f) = w.finish().unwrap() else {
            panic!("past 1 MiB, not spooled")
        };
        let (mut reader, len) = f.reader();
        assert_eq!(len, want.len() as u64);
        let mut got = Vec::new();
        reader.read_to_end(&mut got).unwrap();
        assert_eq!(got, want);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_temporary_file_is_unlinked_at_once() {
        use std::os::fd::AsRawFd as _;
        let mut w = Writer::default();
        w.push(&bytes(IN_MEMORY * 2)).unwrap();
        let up = w.finish().unwrap();
        let Upload::File(f) = &up else {
            panic!("not spooled: {up:?}")
        };
        let link = std::fs::read_link(format!("/proc/self/fd/{}", f.file.as_raw_fd())).unwrap();
        let link = link.to_string_lossy();
        assert!(link.contains("kaiden-upload-"), "{link}");
        assert!(
            link.ends_with(" (deleted)"),
            "still in its directory: {link}"
        );
    }
}
