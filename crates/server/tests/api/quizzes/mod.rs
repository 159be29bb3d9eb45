//! Document 003's tests end to end: admins' tests and questions, attempts
//! timed by the server and graded on it, the races on starts, answers that
//! never reach a user before the submit, points and the leaderboard, and the
//! progress report that counts watched lessons and passed tests.

mod admin;
mod attempts;
mod catalogue;
mod grading;
mod helpers;
mod no_answers;
mod olympiads;
mod points;
mod progress;
mod races;
