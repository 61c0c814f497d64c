//! HTTP tests: a real server on a random port over a fresh SQLite store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod app;
mod assemblies;
mod auth;
mod bank;
mod board;
mod budget;
mod contracts;
mod dunning;
mod expenses;
mod governance;
mod guide;
mod indicators;
mod invoices;
mod legal_help;
mod loans;
mod pages;
mod payouts;
mod quotes;
mod sales;
mod shares;
mod simulator;
mod trainings;
mod transparency;
