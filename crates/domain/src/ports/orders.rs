//! Storage of offerings, orders and provider payments. Completing an order
//! fulfils it in the same transaction, behind one conditional update of its
//! status, whichever way completes it.

use super::AuditEntry;
use crate::DomainResult;
use crate::orders::{
    ClickOutcome, ClickPrepare, Completion, NewOffering, NewOrder, Offering, OfferingPatch, Order,
    OrderStatus, PaymeCancelled, PaymeCreate, PaymeCreated, PaymePerformed, PaymeTransaction,
    ProviderRequest, Removal,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[async_trait]
pub trait OfferingRepository: Send + Sync {
    /// Newest first; archived ones only when asked.
    async fn list(&self, archived_too: bool) -> DomainResult<Vec<Offering>>;

    async fn get(&self, id: Uuid) -> DomainResult<Option<Offering>>;

    /// `Conflict { what: "offering.course_not_found" | "offering.product_not_found" }`
    /// when what it refers to does not exist.
    async fn create(
        &self,
        id: Uuid,
        offering: &NewOffering,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Offering>;

    /// `NotFound` when absent or archived; `Conflict { what:
    /// "offering.months_not_allowed" }` for months on a custom offering.
    async fn update(
        &self,
        id: Uuid,
        patch: &OfferingPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Offering>;

    /// Deletes it, or archives it when it has orders. `NotFound` when absent
    /// or archived.
    async fn remove(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Removal>;
}

#[async_trait]
pub trait OrderRepository: Send + Sync {
    /// Reads the offering (`NotFound` when absent or archived) and places the
    /// order with its price and terms.
    async fn create(&self, order: &NewOrder) -> DomainResult<Order>;

    async fn get(&self, id: Uuid) -> DomainResult<Option<Order>>;

    /// Newest first, older than `before` when given; filtered by status and
    /// user when given.
    async fn list(
        &self,
        user_id: Option<Uuid>,
        status: Option<OrderStatus>,
        before: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<Order>>;

    /// `pending → cancelled` by one conditional update, the owner's
    /// (`owner`) or an admin's (`audit`). `NotFound` when absent or not the
    /// owner's; `Conflict { what: "order.not_pending" }`.
    async fn cancel(
        &self,
        id: Uuid,
        owner: Option<Uuid>,
        now: DateTime<Utc>,
        audit: Option<&AuditEntry>,
    ) -> DomainResult<Order>;

    /// `pending → completed` by one conditional update, then in the same
    /// transaction the debit of the owner's balance (`PaidVia::Balance`;
    /// `owner` must be the order's), the fulfilment and `audit`. Of any
    /// number of concurrent completions one wins; the others are `Conflict {
    /// what: "order.not_pending" }` and change nothing (nor does a short
    /// balance: `Conflict { what: "wallet.insufficient_funds" }`).
    async fn complete(
        &self,
        id: Uuid,
        owner: Option<Uuid>,
        completion: &Completion,
        audit: Option<&AuditEntry>,
    ) -> DomainResult<Order>;
}

#[async_trait]
pub trait PaymentRepository: Send + Sync {
    async fn payme_transaction(&self, payme_id: &str) -> DomainResult<Option<PaymeTransaction>>;

    /// Checks the order (exists, pending, amount in tiyin) and creates the
    /// transaction in state 1, unless the Payme id exists (`Existing`) or
    /// another waits for the order (`Refused(Busy)`, a unique key).
    async fn payme_create(&self, create: &PaymeCreate) -> DomainResult<PaymeCreated>;

    /// `1 → 2` by a conditional update and the order completed and fulfilled
    /// in the same transaction; an order no longer pending refuses it and
    /// nothing changes.
    async fn payme_perform(
        &self,
        payme_id: &str,
        completion: &Completion,
        now_ms: i64,
    ) -> DomainResult<PaymePerformed>;

    /// `1 → -1`, or `2 → -2` with the order cancelled and its fulfilment
    /// undone (access revoked, subscription shortened) in the same
    /// transaction; a cancelled one is answered as it is.
    async fn payme_cancel(
        &self,
        payme_id: &str,
        reason: i16,
        now: DateTime<Utc>,
        now_ms: i64,
    ) -> DomainResult<PaymeCancelled>;

    /// Transactions whose Payme `time` lies in `[from, to]`, oldest first, at
    /// most `limit`.
    async fn payme_statement(
        &self,
        from: i64,
        to: i64,
        limit: u64,
    ) -> DomainResult<Vec<PaymeTransaction>>;

    /// Checks the order and records the prepare (or finds the one of this
    /// Click transaction).
    async fn click_prepare(&self, prepare: &ClickPrepare) -> DomainResult<ClickOutcome>;

    /// Completes the prepare `prepare_id` of `click_trans_id`: state 2 and
    /// the order completed and fulfilled in one transaction (a completed one
    /// is answered as it is); `failed` (Click's `error` < 0) cancels it; an
    /// `amount` (so'm) other than the prepare's is `Refused(WrongAmount)`.
    async fn click_complete(
        &self,
        prepare_id: i32,
        click_trans_id: i64,
        amount: i64,
        failed: bool,
        completion: &Completion,
    ) -> DomainResult<ClickOutcome>;

    /// Keeps a provider's request with its answer.
    async fn record(&self, request: &ProviderRequest) -> DomainResult<()>;
}
