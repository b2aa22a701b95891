//! The proxy-wasm pairs format (header maps, call metadata): a little-endian `u32` count, then
//! per pair a `u32` key length and a `u32` value length, then per pair the key bytes, a NUL, the
//! value bytes and a NUL (cpp-host `include/proxy-wasm/pairs_util.h`).

/// Serialize pairs.
pub fn encode(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut size = 4 + pairs.len() * 8;
    for (k, v) in pairs {
        size += k.len() + v.len() + 2;
    }
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (k, v) in pairs {
        out.extend_from_slice(&(k.len() as u32).to_le_bytes());
        out.extend_from_slice(&(v.len() as u32).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend_from_slice(k);
        out.push(0);
        out.extend_from_slice(v);
        out.push(0);
    }
    out
}

/// Parse pairs. Like cpp-host's hardened `PairsUtil::toPairs`, malformed input (a count or a
/// length past the end, missing NUL terminators) yields no pairs at all.
pub fn decode(data: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    decode_checked(data).unwrap_or_default()
}

fn decode_checked(data: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    if data.is_empty() {
        return Some(Vec::new());
    }
    let word = |at: usize| -> Option<usize> {
        let b = data.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let n = word(0)?;
    // Each pair needs 8 bytes of sizes and 2 NULs: refuse counts the data cannot hold.
    if n > data.len() / 10 + 1 {
        return None;
    }
    let mut sizes = Vec::with_capacity(n);
    let mut at = 4usize;
    for _ in 0..n {
        sizes.push((word(at)?, word(at + 4)?));
        at += 8;
    }
    let mut out = Vec::with_capacity(n);
    for (kl, vl) in sizes {
        let key = data.get(at..at.checked_add(kl)?)?.to_vec();
        at += kl;
        if *data.get(at)? != 0 {
            return None;
        }
        at += 1;
        let value = data.get(at..at.checked_add(vl)?)?.to_vec();
        at += vl;
        if *data.get(at)? != 0 {
            return None;
        }
        at += 1;
        out.push((key, value));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_malformed() {
        let pairs = vec![
            (b":path".to_vec(), b"/a".to_vec()),
            (b"x".to_vec(), Vec::new()),
        ];
        let enc = encode(&pairs);
        assert_eq!(decode(&enc), pairs);
        assert!(decode(&enc[..enc.len() - 1]).is_empty());
        assert!(decode(&[0xff, 0xff, 0xff, 0xff]).is_empty());
        assert!(decode(&[]).is_empty());
        assert_eq!(encode(&[]), vec![0, 0, 0, 0]);
    }
}
