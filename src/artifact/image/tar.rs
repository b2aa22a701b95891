//! Just enough POSIX tar to read a layer (ustar, GNU long names, pax paths) and to write the
//! one-file layer `meshplug push` publishes, with fixed header fields.

const BLOCK: usize = 512;

/// One regular entry of an archive.
#[derive(Debug)]
pub struct Entry<'a> {
    /// Path inside the archive.
    pub name: String,
    /// Contents.
    pub data: &'a [u8],
}

/// Whether `bytes` starts with a POSIX (ustar) header, as Istio tests before untarring.
pub fn is_posix_tar(bytes: &[u8]) -> bool {
    bytes.len() >= BLOCK && &bytes[257..262] == b"ustar"
}

fn octal(field: &[u8]) -> Option<usize> {
    let s = std::str::from_utf8(field).ok()?;
    let s = s.trim_matches(|c: char| c == '\0' || c == ' ');
    if s.is_empty() {
        return Some(0);
    }
    usize::from_str_radix(s, 8).ok()
}

fn cstr(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// The file entries of `bytes` in order (directories, links and metadata headers skipped).
/// Stops at the end marker; a malformed header is an error.
pub fn entries(bytes: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut long_name: Option<String> = None;
    // Each pass consumes at least one block, so this ends.
    while at + BLOCK <= bytes.len() {
        let h = &bytes[at..at + BLOCK];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let size = octal(&h[124..136])
            .ok_or_else(|| format!("bad size field in the tar header at byte {at}"))?;
        let start = at + BLOCK;
        let end = start.checked_add(size).filter(|&e| e <= bytes.len()).ok_or_else(|| {
            format!("the tar entry at byte {at} claims {size} bytes but the archive ends first (truncated layer)")
        })?;
        let data = &bytes[start..end];
        let typeflag = h[156];
        match typeflag {
            b'L' => long_name = Some(cstr(data)),
            b'x' => {
                if let Some(p) = pax_path(data) {
                    long_name = Some(p);
                }
            }
            b'0' | 0 | b'7' => {
                let name = long_name.take().unwrap_or_else(|| {
                    let prefix = if &h[257..262] == b"ustar" {
                        cstr(&h[345..500])
                    } else {
                        String::new()
                    };
                    let base = cstr(&h[..100]);
                    if prefix.is_empty() {
                        base
                    } else {
                        format!("{prefix}/{base}")
                    }
                });
                out.push(Entry { name, data });
            }
            _ => long_name = None,
        }
        at = start + size.div_ceil(BLOCK) * BLOCK;
    }
    Ok(out)
}

fn pax_path(data: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    text.lines().find_map(|l| {
        let (_, kv) = l.split_once(' ')?;
        kv.strip_prefix("path=").map(str::to_owned)
    })
}

/// A tar archive holding one regular file `name` with `data`: mode 0644, uid/gid 0, no owner
/// names, mtime 0, ustar format. The same input always gives the same bytes.
pub fn single_file(name: &str, data: &[u8]) -> Vec<u8> {
    let mut h = [0u8; BLOCK];
    h[..name.len().min(100)].copy_from_slice(&name.as_bytes()[..name.len().min(100)]);
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut out = Vec::with_capacity(BLOCK * 3 + data.len());
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out.resize(BLOCK + data.len().div_ceil(BLOCK) * BLOCK, 0);
    out.extend_from_slice(&[0u8; BLOCK * 2]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_limits() {
        let t = single_file("plugin.wasm", b"\0asm\x01\0\0\0");
        assert!(is_posix_tar(&t));
        assert_eq!(t.len(), 512 * 4);
        let e = entries(&t).unwrap();
        assert_eq!(
            (e.len(), e[0].name.as_str(), e[0].data),
            (1, "plugin.wasm", &b"\0asm\x01\0\0\0"[..])
        );
        assert!(entries(&t[..515]).unwrap_err().contains("truncated"));
        assert_eq!(single_file("a", b"x"), single_file("a", b"x"));
    }
}
