//! HTTP tests: a real server on a random port over a fresh SQLite store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod app;
mod auth;
mod budget;
mod invoices;
mod pages;
mod quotes;
mod sales;
