#!/usr/bin/env python3
"""The generated year's camt.053, as `ruche bench year` writes it (crates/ruche/src/bench_year.rs,
statement_entries): one credit per open invoice paying what is due by its structured
communication (100,000 at most), then credits naming no invoice, up to 100,000 movements; for
importing by hand with `ruche bank import` (docs/benchmarks.md, fifth pass).

    python3 scripts/bench/year-camt.py /tmp/y1.db /tmp/year.camt.xml

Reads the SQLite file read-only; writes the statement dated 2024-01-02, sequence 1.
"""
import sqlite3, sys
db=sqlite3.connect("file:%s?mode=ro"%sys.argv[1],uri=True)
print(db.execute("SELECT status, COUNT(*) FROM invoices WHERE kind='invoice' GROUP BY 1").fetchall(), file=sys.stderr)
iban=db.execute("SELECT REPLACE(iban,' ','') FROM legal_entities ORDER BY id LIMIT 1").fetchone()[0]
rows=db.execute("""SELECT client_id, structured_communication, tax_inclusive_cents - paid_cents - credited_cents FROM invoices
 WHERE kind='invoice' AND status IN ('issued','partially_paid') AND structured_communication IS NOT NULL ORDER BY id""").fetchall()
N=100000; on="2024-01-02"
ents=[]
for client, ogm, due in rows:
    if len(ents)==N: break
    if due<=0: continue
    ents.append((f"PAY-{len(ents):07}", due, f"Client {client}", f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>{ogm}</Ref></CdtrRefInf></Strd>"))
paying=len(ents)
for i in range(len(ents),N):
    ents.append((f"OTHER-{i:07}", 1000+i%997, f"Donateur {i%89}", "<Ustrd>Soutien au projet, merci</Ustrd>"))
amt=lambda c: f"{abs(c)//100}.{abs(c)%100:02}"
closing=sum(e[1] for e in ents)
out=[f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>RUCHE-{on}-1</MsgId><CreDtTm>{on}T06:00:00</CreDtTm></GrpHdr><Stmt><Id>{on}-001</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>{on}T06:00:00</CreDtTm><Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{on}</Dt></Dt></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amt(closing)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{on}</Dt></Dt></Bal>\n']
for i,(ref,c,name,rmt) in enumerate(ents):
    out.append(f'<Ntry><NtryRef>{i+1}</NtryRef><Amt Ccy="EUR">{amt(c)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{on}</Dt></BookgDt><ValDt><Dt>{on}</Dt></ValDt><AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">{amt(c)}</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct></RltdPties><RmtInf>{rmt}</RmtInf></TxDtls></NtryDtls></Ntry>\n')
out.append("</Stmt></BkToCstmrStmt></Document>\n")
open(sys.argv[2],"w").write("".join(out))
print("paying", paying, "of", N, file=sys.stderr)
