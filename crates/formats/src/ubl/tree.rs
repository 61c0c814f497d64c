//! A small element tree read with quick-xml, keyed by *local* names: UBL files bind the
//! same namespaces to different prefixes (`cbc:`, `ns2:`, a default namespace), and the
//! element names alone are unambiguous inside one UBL document.

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::UblError;

/// Deeper than any UBL invoice (about 8 levels): a bound on the tree, so that hostile input
/// cannot make the recursive drop of the tree overflow the stack.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub(crate) attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`, in document order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first element down `path` (`["PostalAddress", "Country"]`).
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |el, name| el.child(name))
    }

    /// The element's text, trimmed; `None` when blank (PEPPOL-EN16931-R008: an empty
    /// element says nothing).
    pub fn text(&self) -> Option<&str> {
        Some(self.text.trim()).filter(|t| !t.is_empty())
    }

    /// The text of the first element down `path`.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).and_then(Element::text)
    }

    /// The value of the attribute with local name `name`, trimmed.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }
}

/// Reads `xml` into its root element.
pub(crate) fn parse(xml: &str) -> Result<Element, UblError> {
    let mut reader = Reader::from_str(xml);
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let xml_error = |reader: &Reader<&[u8]>, e: &dyn std::fmt::Display| {
        UblError::Xml(format!("at byte {}: {e}", reader.error_position()))
    };
    loop {
        let event = reader.read_event().map_err(|e| xml_error(&reader, &e))?;
        match event {
            Event::Start(start) => {
                if open.len() >= MAX_DEPTH {
                    return Err(UblError::Xml(format!(
                        "elements nested deeper than {MAX_DEPTH} levels"
                    )));
                }
                open.push(element(&start)?);
            }
            Event::Empty(start) => attach(&mut open, &mut root, element(&start)?)?,
            Event::End(_) => {
                // quick-xml checks that end names match, so `open` is never empty here;
                // an error rather than a panic all the same.
                let done = open
                    .pop()
                    .ok_or_else(|| UblError::Xml("closing tag without an opening one".into()))?;
                attach(&mut open, &mut root, done)?;
            }
            Event::Text(text) => {
                if let Some(current) = open.last_mut() {
                    current.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(current) = open.last_mut() {
                    current.text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved: String = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => resolve_predefined_entity(&reference)
                        .ok_or_else(|| UblError::Xml(format!("unknown entity &{};", &*reference)))?
                        .to_string(),
                    Err(e) => return Err(xml_error(&reader, &e)),
                };
                if let Some(current) = open.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            // The XML declaration, comments, processing instructions and a DOCTYPE carry
            // nothing of the invoice.
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(unclosed) = open.last() {
        return Err(UblError::Xml(format!(
            "<{}> is never closed",
            unclosed.name
        )));
    }
    root.ok_or_else(|| UblError::Xml("no root element".into()))
}

fn element(start: &BytesStart<'_>) -> Result<Element, UblError> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| UblError::Xml(e.to_string()))?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| UblError::Xml(e.to_string()))?;
        attributes.push((
            attribute.key.local_name().as_ref().to_string(),
            value.into_owned(),
        ));
    }
    Ok(Element {
        name: start.local_name().as_ref().to_string(),
        attributes,
        ..Element::default()
    })
}

fn attach(open: &mut [Element], root: &mut Option<Element>, done: Element) -> Result<(), UblError> {
    match open.last_mut() {
        Some(parent) => parent.children.push(done),
        None if root.is_none() => *root = Some(done),
        None => return Err(UblError::Xml("more than one root element".into())),
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_without_their_prefix() {
        let root = parse(
            r#"<?xml version="1.0"?><x:Invoice xmlns:x="urn:i" xmlns:b="urn:b">
                 <b:ID schemeID="0208">0202239951</b:ID><Note>a &amp; b &#233;</Note>
               </x:Invoice>"#,
        )
        .unwrap();
        assert_eq!(root.name, "Invoice");
        assert_eq!(root.text_at(&["ID"]), Some("0202239951"));
        assert_eq!(
            root.child("ID").unwrap().attribute("schemeID"),
            Some("0208")
        );
        assert_eq!(root.text_at(&["Note"]), Some("a & b é"));
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<a>&nope;</a>",
            "text only",
            "<a x='1' x='2'/>",
        ] {
            assert!(matches!(parse(bad), Err(UblError::Xml(_))), "{bad:?}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(matches!(parse(&deep), Err(UblError::Xml(_))));
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }
}
