//! The job worker on an SQLite store in a temporary file: mail kept, sent once, retried
//! after a failure, failed for good; unknown kinds; shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use ruche_jobs::{KEPT_DETAIL, SmtpConfig, SmtpTls, Worker, WorkerConfig, retry_backoff};
use ruche_store::jobs::NewJob;
use ruche_store::mail::SEND_MAIL_JOB;
use ruche_store::{ConnectOptions, Store, now_micros};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

struct TestDb {
    store: Store,
    dir: PathBuf,
}

impl TestDb {
    async fn new() -> TestDb {
        let n: u64 = rand::rng().random();
        let dir = std::env::temp_dir().join(format!("ruche-jobs-test-{n:016x}"));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/x.sqlite", dir.display());
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        TestDb { store, dir }
    }

    fn worker(&self, smtp: Option<SmtpConfig>) -> Worker {
        let config = WorkerConfig {
            owner: "test-instance".into(),
            poll_interval: Duration::from_millis(100),
            lease: Duration::from_secs(120),
            smtp,
            peppol_drop_dir: None,
        };
        Worker::new(self.store.clone(), config)
    }

    async fn drop(self) {
        self.store.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn smtp_at(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        tls: SmtpTls::None,
        from: "Ruche <noreply@ruche.test>".into(),
    }
}

/// A local port nothing listens on.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

/// What the fake SMTP server received: every command line, and every message (DATA).
#[derive(Default)]
struct Received {
    commands: Vec<String>,
    messages: Vec<String>,
}

/// A plain SMTP server speaking just enough of the protocol to accept messages.
struct FakeSmtp {
    port: u16,
    received: Arc<Mutex<Received>>,
    task: JoinHandle<()>,
}

impl FakeSmtp {
    async fn start() -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Received::default()));
        let shared = received.clone();
        let task = tokio::spawn(async move {
            // Bounded: a test opens a handful of connections; the task is aborted at the end.
            for _ in 0..100 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, shared).await;
                });
            }
        });
        FakeSmtp {
            port,
            received,
            task,
        }
    }

    fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().messages.clone()
    }

    fn commands(&self) -> Vec<String> {
        self.received.lock().unwrap().commands.clone()
    }
}

impl Drop for FakeSmtp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(stream: TcpStream, received: Arc<Mutex<Received>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 fake.test ESMTP\r\n").await?;
    for _ in 0..1000 {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        received.lock().unwrap().commands.push(command.clone());
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => write.write_all(b"250 fake.test\r\n").await?,
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut message = String::new();
                for _ in 0..100_000 {
                    let mut data = String::new();
                    if lines.read_line(&mut data).await? == 0 {
                        return Ok(());
                    }
                    if data == ".\r\n" {
                        break;
                    }
                    message.push_str(&data);
                }
                received.lock().unwrap().messages.push(message);
                write.write_all(b"250 queued\r\n").await?;
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => write.write_all(b"250 ok\r\n").await?,
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_mail_is_kept_and_its_job_done() {
    let db = TestDb::new().await;
    let mail = db
        .store
        .queue_mail("alice@example.be", "Welcome", "Bonjour Alice")
        .await
        .unwrap();
    let worker = db.worker(None);

    assert!(worker.run_once().await.unwrap());
    assert!(!worker.run_once().await.unwrap(), "nothing else is due");

    assert_eq!(db.store.mail(mail.id).await.unwrap().status, "kept");
    let attempts = db.store.mail_attempts(mail.id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, "kept");
    assert_eq!(attempts[0].detail.as_deref(), Some(KEPT_DETAIL));
    let job = db.store.job(mail.job_id.unwrap()).await.unwrap();
    assert_eq!(job.status, "done");
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_delivery_keeps_mail_queued_and_retries_the_job_later() {
    let db = TestDb::new().await;
    let mail = db
        .store
        .queue_mail("alice@example.be", "Welcome", "Bonjour Alice")
        .await
        .unwrap();
    let worker = db.worker(Some(smtp_at(closed_port().await)));

    assert!(worker.run_once().await.unwrap());

    assert_eq!(db.store.mail(mail.id).await.unwrap().status, "queued");
    let attempts = db.store.mail_attempts(mail.id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, "error");
    assert!(attempts[0].detail.as_deref().is_some_and(|d| !d.is_empty()));
    let job = db.store.job(mail.job_id.unwrap()).await.unwrap();
    assert_eq!(job.status, "queued");
    assert_eq!(job.attempts, 1);
    assert!(job.run_at > now_micros(), "the retry waits for the backoff");
    assert!(job.last_error.is_some());
    assert!(
        !worker.run_once().await.unwrap(),
        "the retry is not due yet"
    );
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_sent_once_even_when_its_job_runs_twice() {
    let db = TestDb::new().await;
    let server = FakeSmtp::start().await;
    let mail = db
        .store
        .queue_mail(
            "alice@example.be",
            "Welcome to the cooperative",
            "Bonjour Alice, bienvenue à la coopérative.",
        )
        .await
        .unwrap();
    let worker = db.worker(Some(smtp_at(server.port)));

    assert!(worker.run_once().await.unwrap());

    assert_eq!(db.store.mail(mail.id).await.unwrap().status, "sent");
    let attempts = db.store.mail_attempts(mail.id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, "sent");
    assert_eq!(
        db.store.job(mail.job_id.unwrap()).await.unwrap().status,
        "done"
    );
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("Subject: Welcome to the cooperative"));
    assert!(
        server
            .commands()
            .iter()
            .any(|c| c.starts_with("RCPT TO:<alice@example.be>"))
    );

    // The worker again: nothing is due.
    assert!(!worker.run_once().await.unwrap());
    // The same delivery job again (as after a lost lease): it completes without sending.
    let again = db
        .store
        .enqueue_job(&NewJob::now(
            SEND_MAIL_JOB,
            serde_json::json!({ "mail_id": mail.id }),
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(worker.run_once().await.unwrap());
    assert_eq!(db.store.job(again).await.unwrap().status, "done");
    assert_eq!(server.messages().len(), 1, "sent once");
    assert_eq!(db.store.mail_attempts(mail.id).await.unwrap().len(), 1);
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_recipient_fails_for_good_at_once() {
    let db = TestDb::new().await;
    let server = FakeSmtp::start().await;
    let mail = db
        .store
        .queue_mail("not an address", "Welcome", "Bonjour")
        .await
        .unwrap();
    let worker = db.worker(Some(smtp_at(server.port)));

    assert!(worker.run_once().await.unwrap());

    assert_eq!(db.store.mail(mail.id).await.unwrap().status, "failed");
    let attempts = db.store.mail_attempts(mail.id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, "error");
    let job = db.store.job(mail.job_id.unwrap()).await.unwrap();
    assert_eq!(job.status, "failed");
    assert_eq!(job.attempts, 1);
    assert!(job.last_error.unwrap().contains("invalid recipient"));
    assert!(server.messages().is_empty());
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_allowed_attempt_fails_the_mail_and_the_job() {
    let db = TestDb::new().await;
    let mail = db
        .store
        .queue_mail("alice@example.be", "Welcome", "Bonjour")
        .await
        .unwrap();
    let worker = db.worker(Some(smtp_at(closed_port().await)));
    // The queued job fails once and waits for its retry.
    assert!(worker.run_once().await.unwrap());
    // A delivery job allowed one attempt only.
    let last = db
        .store
        .enqueue_job(&NewJob {
            max_attempts: 1,
            ..NewJob::now(SEND_MAIL_JOB, serde_json::json!({ "mail_id": mail.id }))
        })
        .await
        .unwrap()
        .unwrap();

    assert!(worker.run_once().await.unwrap());

    let job = db.store.job(last).await.unwrap();
    assert_eq!(job.status, "failed");
    assert!(job.finished_at.is_some());
    assert_eq!(db.store.mail(mail.id).await.unwrap().status, "failed");
    let attempts = db.store.mail_attempts(mail.id).await.unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| a.outcome == "error"));
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_job_kind_fails_for_good() {
    let db = TestDb::new().await;
    let id = db
        .store
        .enqueue_job(&NewJob::now("no-such-kind", serde_json::json!({})))
        .await
        .unwrap()
        .unwrap();
    let worker = db.worker(None);

    assert!(worker.run_once().await.unwrap());

    let job = db.store.job(id).await.unwrap();
    assert_eq!(job.status, "failed");
    assert_eq!(job.attempts, 1);
    assert!(job.finished_at.is_some());
    assert!(job.last_error.unwrap().contains("unknown job kind"));
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_drains_due_jobs_and_stops_on_shutdown() {
    let db = TestDb::new().await;
    let mail = db
        .store
        .queue_mail("alice@example.be", "Welcome", "Bonjour")
        .await
        .unwrap();
    let worker = db.worker(None);
    let store = db.store.clone();
    // Shutdown comes once the mail is kept (bounded: about 10 s at most).
    let shutdown = async move {
        for _ in 0..200 {
            if store.mail(mail.id).await.unwrap().status == "kept" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };

    worker.run(shutdown).await;

    assert_eq!(db.store.mail(mail.id).await.unwrap().status, "kept");
    db.drop().await;
}

#[test]
fn retry_backoff_doubles_from_one_minute_up_to_six_hours() {
    let minutes = |n: u64| Duration::from_secs(n * 60);
    assert_eq!(retry_backoff(1), minutes(1));
    assert_eq!(retry_backoff(2), minutes(2));
    assert_eq!(retry_backoff(3), minutes(4));
    assert_eq!(retry_backoff(9), minutes(256));
    assert_eq!(retry_backoff(10), minutes(360));
    assert_eq!(retry_backoff(i64::MAX), minutes(360));
    assert_eq!(retry_backoff(0), minutes(1));
}

#[test]
fn smtp_config_debug_hides_the_password() {
    let config = SmtpConfig {
        username: Some("ruche".into()),
        password: Some("s3cr3t-pa55".into()),
        ..smtp_at(587)
    };
    let shown = format!("{config:?}");
    assert!(!shown.contains("s3cr3t-pa55"));
    assert!(shown.contains("<redacted>"));
}
