//! Files members and staff attach to a record (a loan application's justification, a
//! contract to review, a guide article's document): which files are taken.
//!
//! A file's type is read from its content, never from its name alone: PDF and images by
//! their signature (as expense receipts, [`ReceiptType::sniff`]), office documents
//! (`.docx`, `.xlsx`, `.odt`, `.ods`) as a ZIP container with one of those extensions, and
//! plain text when the bytes are UTF-8 without control characters. Anything else (an
//! executable, an HTML page, a script) is refused.

use crate::expense::{ReceiptType, clean_file_name};

/// The largest attached file: 10 MiB.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Files attached at once.
pub const MAX_ATTACHMENTS: usize = 5;

/// Why a file is refused: the message codes of the field `attachments`.
pub const EMPTY: &str = "attachment-empty";
pub const TOO_LARGE: &str = "attachment-size";
pub const BAD_TYPE: &str = "attachment-type";
pub const TOO_MANY: &str = "attachment-count";

const OFFICE: [(&str, &str); 4] = [
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
];

/// The media type a file is kept and served with, or the code of why it is refused.
pub fn check_attachment(name: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err(EMPTY);
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(TOO_LARGE);
    }
    if let Some(kind) = ReceiptType::sniff(bytes) {
        return Ok(kind.mime());
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04")
        && let Some((_, mime)) = OFFICE.iter().find(|(e, _)| *e == extension)
    {
        return Ok(mime);
    }
    let text = std::str::from_utf8(bytes).is_ok_and(|t| {
        t.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
    });
    if text && matches!(extension.as_str(), "txt" | "md" | "csv") {
        return Ok("text/plain; charset=utf-8");
    }
    Err(BAD_TYPE)
}

/// The name a file is kept with: its last path part, without quotes or control characters.
pub fn attachment_name(name: &str) -> String {
    let cleaned = clean_file_name(name);
    if cleaned == "receipt" && name.trim().is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_images_office_and_text_are_taken_by_their_content() {
        assert_eq!(
            check_attachment("a.pdf", b"%PDF-1.7 x"),
            Ok("application/pdf")
        );
        assert_eq!(
            check_attachment("scan", b"\x89PNG\r\n\x1a\n...."),
            Ok("image/png")
        );
        assert_eq!(
            check_attachment("Contrat.DOCX", b"PK\x03\x04rest"),
            Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(
            check_attachment("notes.txt", "Bonjour,\nvoici.".as_bytes()),
            Ok("text/plain; charset=utf-8")
        );
    }

    #[test]
    fn scripts_executables_empty_and_large_files_are_refused() {
        assert_eq!(
            check_attachment("x.html", b"<script>alert(1)</script>"),
            Err(BAD_TYPE)
        );
        assert_eq!(check_attachment("x.exe", b"MZ\x90\x00"), Err(BAD_TYPE));
        // A ZIP is an office document only under an office extension.
        assert_eq!(check_attachment("x.zip", b"PK\x03\x04"), Err(BAD_TYPE));
        // Text with control characters is not plain text.
        assert_eq!(check_attachment("x.txt", b"a\x00b"), Err(BAD_TYPE));
        assert_eq!(check_attachment("x.pdf", b""), Err(EMPTY));
        let big = vec![b'a'; MAX_ATTACHMENT_BYTES + 1];
        assert_eq!(check_attachment("x.txt", &big), Err(TOO_LARGE));
    }

    #[test]
    fn names_keep_their_last_part_only() {
        assert_eq!(attachment_name("C:\\Users\\x\\contrat.pdf"), "contrat.pdf");
        assert_eq!(attachment_name(""), "file");
    }
}
