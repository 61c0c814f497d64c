//! The smallest typst `World` that renders one document: the template as the main source,
//! the document's data and its QR code as virtual files, and the fonts embedded in the
//! binary (typst-assets). Nothing is read from the disk or the network, so the same data
//! always gives the same PDF.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::PdfError;

/// The virtual files the template reads.
pub(crate) const MAIN_PATH: &str = "/invoice.typ";
pub(crate) const DATA_PATH: &str = "/data.json";
pub(crate) const QR_PATH: &str = "/qr.svg";

/// Loaded once per process: parsing the fonts and building the library are the slow part of
/// a first render, and neither depends on the document.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// One document's world.
pub(crate) struct DocumentWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    qr_id: FileId,
    qr: Option<Bytes>,
    shared: &'static Shared,
}

impl DocumentWorld {
    pub(crate) fn new(
        template: &str,
        data_json: String,
        qr_svg: Option<String>,
    ) -> Result<Self, PdfError> {
        Ok(Self {
            main: Source::new(file_id(MAIN_PATH)?, template.to_string()),
            data_id: file_id(DATA_PATH)?,
            data: Bytes::from_string(data_json),
            qr_id: file_id(QR_PATH)?,
            qr: qr_svg.map(Bytes::from_string),
            shared: &SHARED,
        })
    }
}

fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|e| PdfError::Internal(e.to_string()))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_string()))
        } else if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.qr_id {
            self.qr.clone().ok_or_else(|| not_found(id))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    /// No clock: a legal record must not depend on when it was rendered. The template
    /// takes its dates from the data.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

/// Loads the fonts and the library now rather than in the first render.
pub(crate) fn warm_up() {
    LazyLock::force(&SHARED);
}
