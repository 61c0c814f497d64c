use std::path::PathBuf;

use rand::Rng;
use ruche_store::{ConnectOptions, Store};

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema { url: String, schema: String },
}

fn suffix() -> String {
    let n: u64 = rand::rng().random();
    format!("{n:016x}")
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("ruche-test-{}.sqlite", suffix()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        TestDb {
            store,
            cleanup: Cleanup::File(path),
        }
    }

    pub async fn postgres() -> TestDb {
        let url = std::env::var("RUCHE_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into());
        let schema = format!("t_{}", suffix());
        let admin = Store::connect(
            &url,
            &ConnectOptions {
                max_connections: 1,
                pg_schema: None,
            },
        )
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is needed for the conformance suite ({url}): {e}. \
                     Run ./scripts/test, which starts one, or set RUCHE_TEST_PG_URL."
            )
        });
        admin
            .execute_admin(&format!("CREATE SCHEMA {schema}"))
            .await
            .unwrap();
        admin.close().await;
        let store = Store::connect(
            &url,
            &ConnectOptions {
                max_connections: 8,
                pg_schema: Some(schema.clone()),
            },
        )
        .await
        .unwrap();
        store.migrate().await.unwrap();
        TestDb {
            store,
            cleanup: Cleanup::Schema { url, schema },
        }
    }

    pub async fn drop(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
            }
            Cleanup::Schema { url, schema } => {
                let admin = Store::connect(
                    &url,
                    &ConnectOptions {
                        max_connections: 1,
                        pg_schema: None,
                    },
                )
                .await
                .unwrap();
                admin
                    .execute_admin(&format!("DROP SCHEMA {schema} CASCADE"))
                    .await
                    .unwrap();
                admin.close().await;
            }
        }
    }
}
