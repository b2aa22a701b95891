//! `meshplug.lock`: parsing, and the round trip of what `meshplug lock` writes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match meshplug::lock::parse(data.to_vec()) {
        Ok(lock) => {
            // What would be written reads back as the same lock (sorted, without repeats).
            let text = lock.to_yaml();
            let again = meshplug::lock::parse(text.clone().into_bytes())
                .unwrap_or_else(|d| panic!("the written lock does not read back: {d:?}\n{text}"));
            assert_eq!(again.to_yaml(), text, "writing the lock is not stable");
        }
        Err(diags) => meshplug_fuzz::present(&diags),
    }
});
