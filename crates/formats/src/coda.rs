//! CODA 2.x, the Febelfin "coded statement of account": fixed-width records of 128
//! characters (`shared/reference/payments.md` §3). Positions in this file are 1-based and
//! inclusive, as in the reference table, so that a field reads like its row there.
//!
//! [`parse`] refuses only what it cannot read (a short line, a non-numeric amount, a record
//! with no statement to belong to). Everything a bookkeeper must look at before booking
//! (balances that do not add up, trailer totals, unknown records, structured communications
//! with a wrong check digit) is reported in [`CodaFile::warnings`]: real bank files carry
//! such faults, and refusing them would leave the money unmatched.

use jiff::civil::Date;
use ruche_domain::ident::{Iban, Ogm};

/// Every CODA record is 128 characters long (payments.md §3).
pub const RECORD_LENGTH: usize = 128;

/// A parsed CODA file: one statement per old-balance record (1), in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodaFile {
    pub statements: Vec<Statement>,
    /// What the checks found; the file was read all the same.
    pub warnings: Vec<CodaWarning>,
}

/// Record 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub creation_date: Option<Date>,
    pub bank_id: String,
    /// Position 17 = `D`: the bank sends this file a second time.
    pub duplicate: bool,
    pub file_reference: String,
    pub addressee: String,
    pub bic: String,
    /// `0` + the enterprise number of the account holder.
    pub holder_id: String,
    /// Position 128; `2` for CODA 2.x.
    pub version: char,
}

/// Record 1, position 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStructure {
    BelgianNumber,
    Foreign,
    BelgianIban,
    ForeignIban,
    Other(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub structure: AccountStructure,
    /// As written in the file, trimmed: an IBAN, or a Belgian or foreign account number.
    pub number: String,
    /// The IBAN, when the number is one (or a Belgian account number with a valid check).
    pub iban: Option<Iban>,
    pub currency: String,
}

/// A balance in cents, positive for a credit balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub cents: i64,
    pub date: Option<Date>,
}

/// Record 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trailer {
    /// Records of types 1, 2, 3 and 8, as declared.
    pub record_count: u32,
    pub debit_cents: i64,
    pub credit_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub header: Header,
    pub account: Account,
    /// Record 1 positions 3–5 (repeated in records 2.1 and 8): 3 digits, they wrap.
    pub sequence: u16,
    /// Record 1 positions 126–128 (the "paper statement sequence" of php-coda-parser).
    pub paper_sequence: u16,
    pub old_balance: Balance,
    /// `None` when the file has no record 8 for this statement (a warning says so).
    pub new_balance: Option<Balance>,
    pub holder_name: String,
    pub description: String,
    /// Simple movements and globalisation totals (detail number 0000), each carrying
    /// its detail lines: only these add up to the balance.
    pub movements: Vec<Movement>,
    /// Information records (3.x) whose movement the file does not hold.
    pub unlinked_information: Vec<Information>,
    /// Free messages (record 4).
    pub messages: Vec<String>,
    pub trailer: Option<Trailer>,
}

/// Record 2.1, completed by its 2.2 and 2.3 records and the 3.x records of its sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    /// 1-based line of the 2.1 record in the file, for reports.
    pub line: usize,
    pub sequence: u16,
    /// 0 for a simple movement or a globalisation total; above 0 for a detail line.
    pub detail: u16,
    pub bank_reference: String,
    /// Signed: positive for a credit, negative for a debit.
    pub amount_cents: i64,
    pub value_date: Option<Date>,
    pub entry_date: Option<Date>,
    /// 8 characters: type (1), family (2), transaction (2), category (3).
    pub transaction_code: String,
    /// Position 125.
    pub globalisation_code: u8,
    pub communication: Communication,
    pub customer_reference: String,
    pub counterparty_bic: String,
    pub counterparty_account: String,
    pub counterparty_name: String,
    /// ISO return reason of an R-transaction (2.2 positions 114–117), blank otherwise.
    pub return_reason: String,
    pub information: Vec<Information>,
    /// The detail lines of a globalisation total: they break the total down and serve
    /// only for matching; their amounts are already in the total.
    pub details: Vec<Movement>,
}

impl Movement {
    /// The first digit of the transaction code: 1/2/3 totals, 5/6/8 their details.
    pub fn transaction_type(&self) -> Option<u8> {
        self.transaction_code
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .and_then(|d| u8::try_from(d).ok())
    }

    /// The OGM carried by the movement, when it has one with a valid check.
    pub fn ogm(&self) -> Option<Ogm> {
        match &self.communication {
            Communication::Ogm(reference) => reference.ogm(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Communication {
    /// Communication type 0; the 2.1, 2.2 and 2.3 parts joined, trimmed at the end.
    Free(String),
    /// Structured type 101 (OGM/VCS) or 102 (reconstituted OGM).
    Ogm(OgmReference),
    /// Another structured type (`105`, `107`, `114`, `127` …) and its raw text.
    Structured { kind: String, text: String },
}

/// The 12 digits of a structured communication as the bank sent them. A wrong check digit
/// is kept and flagged, never refused: the line then goes to fuzzy matching (payments.md §4.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OgmReference {
    pub digits: String,
    pub check_holds: bool,
}

impl OgmReference {
    pub fn ogm(&self) -> Option<Ogm> {
        Ogm::parse(&self.digits).ok()
    }
}

/// Records 3.1, 3.2 and 3.3 joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Information {
    pub line: usize,
    pub sequence: u16,
    pub detail: u16,
    pub bank_reference: String,
    pub transaction_code: String,
    /// The structured communication type (positions 41–43, e.g. `001` for the
    /// counterparty's name and address) when position 40 is `1`; `None` for free text.
    pub kind: Option<String>,
    /// The text, 3.2 and 3.3 parts joined as they stand: a structured type keeps its
    /// fixed-width sub-fields, padding included.
    pub text: String,
}

/// A fault that does not stop the reading. `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodaWarning {
    /// Old balance + movements ≠ new balance.
    #[error(
        "statement {statement}: old balance {old_cents} + movements {movements_cents} ≠ new balance {new_cents} (cents)"
    )]
    BalanceMismatch {
        statement: u16,
        old_cents: i64,
        movements_cents: i64,
        new_cents: i64,
    },
    #[error("line {line}: the trailer declares {declared} records, the file holds {counted}")]
    TrailerRecordCount {
        line: usize,
        declared: u32,
        counted: u32,
    },
    #[error(
        "line {line}: the trailer declares {declared_cents} cents of debits, the movements add up to {computed_cents}"
    )]
    TrailerDebits {
        line: usize,
        declared_cents: i64,
        computed_cents: i64,
    },
    #[error(
        "line {line}: the trailer declares {declared_cents} cents of credits, the movements add up to {computed_cents}"
    )]
    TrailerCredits {
        line: usize,
        declared_cents: i64,
        computed_cents: i64,
    },
    /// The details of a globalisation total do not add up to it.
    #[error("line {line}: a total of {total_cents} cents whose details add up to {details_cents}")]
    GlobalisationMismatch {
        line: usize,
        total_cents: i64,
        details_cents: i64,
    },
    /// The record was skipped.
    #[error("line {line}: unknown record type {record:?}, skipped")]
    UnknownRecord { line: usize, record: String },
    /// A structured communication 101/102 whose check digits are wrong, or which is not
    /// 12 digits: kept, and to be matched some other way (payments.md §4.7).
    #[error("line {line}: structured communication {digits:?} fails its mod-97 check")]
    InvalidOgm { line: usize, digits: String },
    /// A 2.2, 2.3, 3.2, 3.3 or detail record whose movement the file does not hold: skipped.
    #[error("line {line}: no movement of this sequence and detail number, skipped")]
    UnlinkedRecord { line: usize },
    /// An amount with a non-zero third decimal: it was truncated to cents.
    #[error("line {line}: an amount with a fraction of a cent, truncated")]
    FractionOfCent { line: usize },
    #[error("line {line}: {value:?} is not a date (DDMMYY)")]
    InvalidDate { line: usize, value: String },
    /// The statement's account is neither a valid IBAN nor a Belgian account number whose
    /// national check holds: [`Account::iban`] is `None`.
    #[error("line {line}: account {account:?} has wrong check digits")]
    InvalidAccount { line: usize, account: String },
    /// Header position 128 is not `2`; the file was read as CODA 2 all the same.
    #[error("line {line}: CODA version {version:?}, read as version 2")]
    UnsupportedVersion { line: usize, version: char },
    #[error("statement {statement} has no new balance (record 8)")]
    MissingNewBalance { statement: u16 },
    #[error("records after the last trailer (record 9), or no trailer at all")]
    MissingTrailer,
}

/// The file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodaError {
    #[error("the file holds no CODA record")]
    Empty,
    #[error("line {line}: {length} characters, a CODA record has {RECORD_LENGTH}")]
    ShortLine { line: usize, length: usize },
    #[error("line {line}: {field} is not a number ({value:?})")]
    NotANumber {
        line: usize,
        field: &'static str,
        value: String,
    },
    #[error("line {line}: sign {value:?} is neither 0 (credit) nor 1 (debit)")]
    InvalidSign { line: usize, value: char },
    #[error("line {line}: {reason}")]
    Structure { line: usize, reason: &'static str },
}

/// One record, as characters: a Latin-1 file decoded by the caller may hold `é`, which
/// takes two bytes in a `str`, so positions count characters.
struct Record {
    line: usize,
    chars: Vec<char>,
}

impl Record {
    /// Positions `from..=to`, 1-based, untrimmed. The caller checked the length.
    fn raw(&self, from: usize, to: usize) -> String {
        self.chars
            .iter()
            .skip(from.saturating_sub(1))
            .take(to + 1 - from)
            .collect()
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.raw(from, to).trim().to_string()
    }

    fn at(&self, position: usize) -> char {
        self.chars
            .get(position.saturating_sub(1))
            .copied()
            .unwrap_or(' ')
    }

    fn number(&self, from: usize, to: usize, field: &'static str) -> Result<u64, CodaError> {
        let raw = self.raw(from, to);
        if raw.is_empty() || !raw.chars().all(|c| c.is_ascii_digit()) {
            return Err(CodaError::NotANumber {
                line: self.line,
                field,
                value: raw,
            });
        }
        raw.parse().map_err(|_| CodaError::NotANumber {
            line: self.line,
            field,
            value: raw.clone(),
        })
    }

    fn small(&self, from: usize, to: usize, field: &'static str) -> Result<u16, CodaError> {
        let n = self.number(from, to, field)?;
        u16::try_from(n).map_err(|_| CodaError::NotANumber {
            line: self.line,
            field,
            value: self.raw(from, to),
        })
    }

    /// A 15-digit amount with 3 decimals, in cents.
    fn cents(
        &self,
        from: usize,
        field: &'static str,
        warnings: &mut Vec<CodaWarning>,
    ) -> Result<i64, CodaError> {
        let milli = self.number(from, from + 14, field)?;
        if milli % 10 != 0 {
            warnings.push(CodaWarning::FractionOfCent { line: self.line });
        }
        // 15 digits < 10^15: the cents always fit an i64.
        i64::try_from(milli / 10).map_err(|_| CodaError::NotANumber {
            line: self.line,
            field,
            value: self.raw(from, from + 14),
        })
    }

    /// A sign position (0 credit, 1 debit) and a 15-digit amount, as signed cents.
    fn signed_cents(
        &self,
        sign: usize,
        from: usize,
        field: &'static str,
        warnings: &mut Vec<CodaWarning>,
    ) -> Result<i64, CodaError> {
        let cents = self.cents(from, field, warnings)?;
        match self.at(sign) {
            '0' => Ok(cents),
            '1' => Ok(-cents),
            value => Err(CodaError::InvalidSign {
                line: self.line,
                value,
            }),
        }
    }

    /// `DDMMYY`; blank or zeros mean "no date". Years are read as 20YY (proposal: ruche imports
    /// no statement from the last century).
    fn date(&self, from: usize, warnings: &mut Vec<CodaWarning>) -> Option<Date> {
        let raw = self.raw(from, from + 5);
        if raw.trim().is_empty() || raw == "000000" {
            return None;
        }
        let parsed = (raw.len() == 6 && raw.chars().all(|c| c.is_ascii_digit()))
            .then(|| {
                let part = |i: usize| raw.get(i..i + 2).and_then(|s| s.parse::<i8>().ok());
                let (day, month, year) = (part(0)?, part(2)?, part(4)?);
                Date::new(2000 + i16::from(year), month, day).ok()
            })
            .flatten();
        if parsed.is_none() {
            warnings.push(CodaWarning::InvalidDate {
                line: self.line,
                value: raw,
            });
        }
        parsed
    }
}

/// Reads a CODA file. Accepts CRLF or LF line ends and blank lines (a trailing newline, a
/// DOS end-of-file mark).
pub fn parse(text: &str) -> Result<CodaFile, CodaError> {
    let mut reader = Reader::default();
    for (index, line) in text.split('\n').enumerate() {
        let line_text = line.trim_end_matches(['\r', '\u{1a}']);
        if line_text.trim().is_empty() {
            continue;
        }
        let chars: Vec<char> = line_text.chars().collect();
        if chars.len() < RECORD_LENGTH {
            return Err(CodaError::ShortLine {
                line: index + 1,
                length: chars.len(),
            });
        }
        reader.record(&Record {
            line: index + 1,
            chars,
        })?;
    }
    reader.finish()
}

/// Totals since the last header, for the trailer check.
#[derive(Default)]
struct Block {
    first_statement: usize,
    records: u32,
    debit_cents: i64,
    credit_cents: i64,
}

#[derive(Default)]
struct Reader {
    header: Option<Header>,
    statements: Vec<Statement>,
    warnings: Vec<CodaWarning>,
    block: Block,
    trailer_seen: bool,
    seen_any: bool,
}

impl Reader {
    fn record(&mut self, r: &Record) -> Result<(), CodaError> {
        self.seen_any = true;
        let kind = (r.at(1), r.at(2));
        if matches!(kind.0, '1' | '2' | '3' | '8') {
            self.block.records += 1;
        }
        match kind {
            ('0', _) => self.header(r),
            ('1', _) => self.old_balance(r),
            ('2', '1') => self.movement(r),
            ('2', '2') => self.movement_continued(r, 2),
            ('2', '3') => self.movement_continued(r, 3),
            ('3', '1') => self.information(r),
            ('3', '2' | '3') => self.information_continued(r),
            ('4', _) => {
                let text = r.text(33, 112);
                self.statement(r)?.messages.push(text);
                Ok(())
            }
            ('8', _) => self.new_balance(r),
            ('9', _) => self.trailer(r),
            _ => {
                self.warnings.push(CodaWarning::UnknownRecord {
                    line: r.line,
                    record: r.raw(1, 2),
                });
                Ok(())
            }
        }
    }

    fn header(&mut self, r: &Record) -> Result<(), CodaError> {
        if self.block.records > 0 {
            self.warnings.push(CodaWarning::MissingTrailer);
        }
        let version = r.at(128);
        if version != '2' {
            self.warnings.push(CodaWarning::UnsupportedVersion {
                line: r.line,
                version,
            });
        }
        self.header = Some(Header {
            creation_date: r.date(6, &mut self.warnings),
            bank_id: r.text(12, 14),
            duplicate: r.at(17) == 'D',
            file_reference: r.text(25, 34),
            addressee: r.text(35, 60),
            bic: r.text(61, 71),
            holder_id: r.text(72, 82),
            version,
        });
        self.block = Block {
            first_statement: self.statements.len(),
            ..Block::default()
        };
        Ok(())
    }

    fn old_balance(&mut self, r: &Record) -> Result<(), CodaError> {
        let header = self.header.clone().ok_or(CodaError::Structure {
            line: r.line,
            reason: "an old balance (record 1) before any header (record 0)",
        })?;
        let structure = match r.at(2) {
            '0' => AccountStructure::BelgianNumber,
            '1' => AccountStructure::Foreign,
            '2' => AccountStructure::BelgianIban,
            '3' => AccountStructure::ForeignIban,
            other => AccountStructure::Other(other),
        };
        let (number, currency) = match structure {
            AccountStructure::BelgianNumber => (r.text(6, 17), r.text(19, 21)),
            AccountStructure::BelgianIban => (r.text(6, 21), r.text(40, 42)),
            _ => (r.text(6, 39), r.text(40, 42)),
        };
        let iban = self.iban(r.line, structure, &number);
        let old_balance = Balance {
            cents: r.signed_cents(43, 44, "old balance", &mut self.warnings)?,
            date: r.date(59, &mut self.warnings),
        };
        self.statements.push(Statement {
            header,
            account: Account {
                structure,
                number,
                iban,
                currency,
            },
            sequence: r.small(3, 5, "statement sequence")?,
            paper_sequence: r.small(126, 128, "paper statement sequence")?,
            old_balance,
            new_balance: None,
            holder_name: r.text(65, 90),
            description: r.text(91, 125),
            movements: Vec::new(),
            unlinked_information: Vec::new(),
            messages: Vec::new(),
            trailer: None,
        });
        Ok(())
    }

    fn iban(&mut self, line: usize, structure: AccountStructure, number: &str) -> Option<Iban> {
        match structure {
            AccountStructure::BelgianIban | AccountStructure::ForeignIban => {
                let iban = Iban::parse(number).ok();
                if iban.is_none() {
                    self.warnings.push(CodaWarning::InvalidAccount {
                        line,
                        account: number.to_string(),
                    });
                }
                iban
            }
            AccountStructure::BelgianNumber => {
                // Bank code (3) + account (7) + national check (2): the IBAN follows from it
                // when the national check holds.
                let bank = number.get(..3).and_then(|d| d.parse::<u16>().ok());
                let account = number.get(3..10).and_then(|d| d.parse::<u32>().ok());
                let iban = bank
                    .zip(account)
                    .map(|(bank, account)| Iban::belgian(bank, account))
                    .filter(|i| i.bban() == number);
                if iban.is_none() {
                    self.warnings.push(CodaWarning::InvalidAccount {
                        line,
                        account: number.to_string(),
                    });
                }
                iban
            }
            _ => None,
        }
    }

    fn statement(&mut self, r: &Record) -> Result<&mut Statement, CodaError> {
        self.statements.last_mut().ok_or(CodaError::Structure {
            line: r.line,
            reason: "a record before any old balance (record 1)",
        })
    }

    fn movement(&mut self, r: &Record) -> Result<(), CodaError> {
        let sequence = r.small(3, 6, "movement sequence")?;
        let detail = r.small(7, 10, "detail number")?;
        let amount_cents = r.signed_cents(32, 33, "movement amount", &mut self.warnings)?;
        let communication = if r.at(62) == '1' {
            let kind = r.raw(63, 65);
            if kind == "101" || kind == "102" {
                let digits = r.text(66, 77);
                let check_holds = Ogm::parse(&digits).is_ok() && digits.len() == 12;
                if !check_holds {
                    self.warnings.push(CodaWarning::InvalidOgm {
                        line: r.line,
                        digits: digits.clone(),
                    });
                }
                Communication::Ogm(OgmReference {
                    digits,
                    check_holds,
                })
            } else {
                Communication::Structured {
                    kind,
                    text: r.raw(66, 115),
                }
            }
        } else {
            Communication::Free(r.raw(63, 115))
        };
        let movement = Movement {
            line: r.line,
            sequence,
            detail,
            bank_reference: r.text(11, 31),
            amount_cents,
            value_date: r.date(48, &mut self.warnings),
            entry_date: r.date(116, &mut self.warnings),
            transaction_code: r.raw(54, 61),
            globalisation_code: r.at(125).to_digit(10).map_or(0, |d| d as u8),
            communication,
            customer_reference: String::new(),
            counterparty_bic: String::new(),
            counterparty_account: String::new(),
            counterparty_name: String::new(),
            return_reason: String::new(),
            information: Vec::new(),
            details: Vec::new(),
        };
        // Only simple movements and totals (detail 0000) move the balance (payments.md §3.2).
        if detail == 0 {
            if amount_cents < 0 {
                self.block.debit_cents -= amount_cents;
            } else {
                self.block.credit_cents += amount_cents;
            }
        }
        let line = r.line;
        let statement = self.statement(r)?;
        if detail == 0 {
            statement.movements.push(movement);
            return Ok(());
        }
        match statement
            .movements
            .iter_mut()
            .rev()
            .find(|m| m.sequence == sequence)
        {
            Some(total) => total.details.push(movement),
            None => self.warnings.push(CodaWarning::UnlinkedRecord { line }),
        }
        Ok(())
    }

    /// The movement a 2.2, 2.3 or 3.x record belongs to: the last one with its sequence and
    /// (for 2.x) detail number.
    fn linked_movement(
        statement: &mut Statement,
        sequence: u16,
        detail: Option<u16>,
    ) -> Option<&mut Movement> {
        let total = statement
            .movements
            .iter_mut()
            .rev()
            .find(|m| m.sequence == sequence)?;
        match detail {
            Some(0) | None => Some(total),
            Some(d) => total.details.iter_mut().rev().find(|m| m.detail == d),
        }
    }

    fn movement_continued(&mut self, r: &Record, part: u8) -> Result<(), CodaError> {
        let sequence = r.small(3, 6, "movement sequence")?;
        let detail = r.small(7, 10, "detail number")?;
        let line = r.line;
        let statement = self.statement(r)?;
        let Some(movement) = Self::linked_movement(statement, sequence, Some(detail)) else {
            self.warnings.push(CodaWarning::UnlinkedRecord { line });
            return Ok(());
        };
        let more = if part == 2 {
            movement.customer_reference = r.text(64, 98);
            movement.counterparty_bic = r.text(99, 109);
            movement.return_reason = r.text(114, 117);
            r.raw(11, 63)
        } else {
            // IBAN or account number, possibly followed by its currency.
            movement.counterparty_account = r
                .raw(11, 47)
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            movement.counterparty_name = r.text(48, 82);
            r.raw(83, 125)
        };
        match &mut movement.communication {
            Communication::Free(text) | Communication::Structured { text, .. } => {
                text.push_str(&more);
            }
            Communication::Ogm(_) => {}
        }
        Ok(())
    }

    fn information(&mut self, r: &Record) -> Result<(), CodaError> {
        let information = Information {
            line: r.line,
            sequence: r.small(3, 6, "information sequence")?,
            detail: r.small(7, 10, "detail number")?,
            bank_reference: r.text(11, 31),
            transaction_code: r.raw(32, 39),
            kind: (r.at(40) == '1').then(|| r.raw(41, 43)),
            text: if r.at(40) == '1' {
                r.raw(44, 113)
            } else {
                r.raw(41, 113)
            },
        };
        let statement = self.statement(r)?;
        match Self::linked_movement(statement, information.sequence, None) {
            Some(movement) => movement.information.push(information),
            None => statement.unlinked_information.push(information),
        }
        Ok(())
    }

    fn information_continued(&mut self, r: &Record) -> Result<(), CodaError> {
        let sequence = r.small(3, 6, "information sequence")?;
        let detail = r.small(7, 10, "detail number")?;
        let more = if r.at(2) == '2' {
            r.raw(11, 115)
        } else {
            r.raw(11, 100)
        };
        let line = r.line;
        let statement = self.statement(r)?;
        let last = match Self::linked_movement(statement, sequence, None) {
            Some(movement) => movement.information.last_mut(),
            None => statement.unlinked_information.last_mut(),
        };
        match last.filter(|i| i.sequence == sequence && i.detail == detail) {
            Some(information) => information.text.push_str(&more),
            None => self.warnings.push(CodaWarning::UnlinkedRecord { line }),
        }
        Ok(())
    }

    fn new_balance(&mut self, r: &Record) -> Result<(), CodaError> {
        let balance = Balance {
            cents: r.signed_cents(42, 43, "new balance", &mut self.warnings)?,
            date: r.date(58, &mut self.warnings),
        };
        self.statement(r)?.new_balance = Some(balance);
        Ok(())
    }

    fn trailer(&mut self, r: &Record) -> Result<(), CodaError> {
        let trailer = Trailer {
            record_count: u32::try_from(r.number(17, 22, "record count")?).unwrap_or(u32::MAX),
            // The trailer totals carry no sign: both are sums of absolute values.
            debit_cents: r.cents(23, "total debits", &mut self.warnings)?,
            credit_cents: r.cents(38, "total credits", &mut self.warnings)?,
        };
        let block = std::mem::take(&mut self.block);
        let checks = [
            (trailer.record_count != block.records).then_some(CodaWarning::TrailerRecordCount {
                line: r.line,
                declared: trailer.record_count,
                counted: block.records,
            }),
            (trailer.debit_cents != block.debit_cents).then_some(CodaWarning::TrailerDebits {
                line: r.line,
                declared_cents: trailer.debit_cents,
                computed_cents: block.debit_cents,
            }),
            (trailer.credit_cents != block.credit_cents).then_some(CodaWarning::TrailerCredits {
                line: r.line,
                declared_cents: trailer.credit_cents,
                computed_cents: block.credit_cents,
            }),
        ];
        self.warnings.extend(checks.into_iter().flatten());
        for statement in self.statements.iter_mut().skip(block.first_statement) {
            statement.trailer = Some(trailer);
        }
        self.block.first_statement = self.statements.len();
        self.trailer_seen = true;
        Ok(())
    }

    fn finish(mut self) -> Result<CodaFile, CodaError> {
        if !self.seen_any {
            return Err(CodaError::Empty);
        }
        if self.block.records > 0 || !self.trailer_seen {
            self.warnings.push(CodaWarning::MissingTrailer);
        }
        for statement in &mut self.statements {
            check_statement(statement, &mut self.warnings);
        }
        Ok(CodaFile {
            statements: self.statements,
            warnings: self.warnings,
        })
    }
}

/// Trims the joined texts and runs the checks that need the whole statement.
fn check_statement(statement: &mut Statement, warnings: &mut Vec<CodaWarning>) {
    for movement in &mut statement.movements {
        tidy(movement);
        if !movement.details.is_empty() {
            let details_cents: i64 = movement.details.iter().map(|d| d.amount_cents).sum();
            if details_cents != movement.amount_cents {
                warnings.push(CodaWarning::GlobalisationMismatch {
                    line: movement.line,
                    total_cents: movement.amount_cents,
                    details_cents,
                });
            }
        }
        movement.details.iter_mut().for_each(tidy);
    }
    for information in &mut statement.unlinked_information {
        information.text = information.text.trim_end().to_string();
    }
    let movements_cents: i64 = statement.movements.iter().map(|m| m.amount_cents).sum();
    match statement.new_balance {
        None => warnings.push(CodaWarning::MissingNewBalance {
            statement: statement.sequence,
        }),
        Some(new) if statement.old_balance.cents + movements_cents != new.cents => {
            warnings.push(CodaWarning::BalanceMismatch {
                statement: statement.sequence,
                old_cents: statement.old_balance.cents,
                movements_cents,
                new_cents: new.cents,
            });
        }
        Some(_) => {}
    }
}

fn tidy(movement: &mut Movement) {
    match &mut movement.communication {
        Communication::Free(text) | Communication::Structured { text, .. } => {
            *text = text.trim_end().to_string();
        }
        Communication::Ogm(_) => {}
    }
    for information in &mut movement.information {
        information.text = information.text.trim_end().to_string();
    }
}
