//! Arbitrary bytes, read as text, fed to the camt.053 parser: it may refuse the input, never
//! panic (a bank file is untrusted input).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = ruche_formats::camt::parse(&text);
});
