//! HTTP tests: a real server on a random port over a fresh SQLite store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod app;
mod auth;
mod bank;
mod budget;
mod contracts;
mod dunning;
mod expenses;
mod invoices;
mod pages;
mod payouts;
mod quotes;
mod sales;
mod simulator;
