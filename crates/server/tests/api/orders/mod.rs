//! Documents 004 and 003 end to end: offerings, orders paid from the
//! balance, by an admin, through Payme and through Click (each provider
//! played by a scripted fake that speaks its documented protocol), the race
//! of the three ways to complete one order, and bad provider input.

mod click;
mod fakes;
mod helpers;
mod offerings;
mod payme;
mod race;
mod stats;
