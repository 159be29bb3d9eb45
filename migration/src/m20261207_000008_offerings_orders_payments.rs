//! Documents 004 and 003: offerings (what is sold: course access, a product
//! for some months, or a custom service), orders placed for them, and the
//! payments of the two providers, Payme (`payme_transactions`) and Click
//! (`click_transactions`), with every provider request kept raw with its
//! answer (`payment_requests`).
//!
//! The database holds the once-only rules: an order leaves `pending` only by
//! a conditional `UPDATE … WHERE status = 'pending'`; a provider's
//! transaction id is unique; an order has at most one Payme transaction
//! waiting (state 1) at a time (a partial unique index).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_offerings(manager).await?;
        create_orders(manager).await?;
        create_payme_transactions(manager).await?;
        create_click_transactions(manager).await?;
        create_payment_requests(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PaymentRequests::Table.into_iden(),
            ClickTransactions::Table.into_iden(),
            PaymeTransactions::Table.into_iden(),
            Orders::Table.into_iden(),
            Offerings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn foreign_key(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(column);
    }
    manager.create_index(index.to_owned()).await
}

const KINDS: &str = "kind IN ('course_access', 'product', 'custom')";
/// What each kind needs: a course or a product, and months; a custom
/// offering names neither.
const KIND_FIELDS: &str = "(kind = 'course_access' AND course_id IS NOT NULL AND product_id IS NULL AND months IS NOT NULL) \
     OR (kind = 'product' AND product_id IS NOT NULL AND course_id IS NULL AND months IS NOT NULL) \
     OR (kind = 'custom' AND course_id IS NULL AND product_id IS NULL AND months IS NULL)";

async fn create_offerings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Offerings::Table)
                .col(pk_uuid(Offerings::Id))
                .col(string_len(Offerings::Name, 200))
                .col(text(Offerings::Description))
                .col(big_integer(Offerings::Price))
                .col(string_len(Offerings::Kind, 16))
                .col(uuid_null(Offerings::CourseId))
                .col(uuid_null(Offerings::ProductId))
                .col(integer_null(Offerings::Months))
                .col(timestamp_with_time_zone_null(Offerings::ArchivedAt))
                .col(timestamp_with_time_zone(Offerings::CreatedAt))
                .col(timestamp_with_time_zone(Offerings::UpdatedAt))
                .check((
                    Alias::new("offerings_price_check"),
                    Expr::col(Offerings::Price).between(1, 100_000_000),
                ))
                .check((Alias::new("offerings_kind_check"), Expr::cust(KINDS)))
                .check((
                    Alias::new("offerings_kind_fields_check"),
                    Expr::cust(KIND_FIELDS),
                ))
                .check((
                    Alias::new("offerings_months_check"),
                    Expr::cust("months IS NULL OR months BETWEEN 1 AND 60"),
                ))
                .foreign_key(&mut foreign_key(
                    "offerings_course_id_fkey",
                    (Offerings::Table, Offerings::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .foreign_key(&mut foreign_key(
                    "offerings_product_id_fkey",
                    (Offerings::Table, Offerings::ProductId),
                    (Products::Table, Products::Id),
                ))
                .to_owned(),
        )
        .await
}

async fn create_orders(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Orders::Table)
                .col(pk_uuid(Orders::Id))
                .col(uuid(Orders::UserId))
                .col(uuid(Orders::OfferingId))
                // What was ordered, as it stood then: a later change of the
                // offering moves neither the price nor the terms.
                .col(string_len(Orders::Name, 200))
                .col(big_integer(Orders::Amount))
                .col(string_len(Orders::Kind, 16))
                .col(uuid_null(Orders::CourseId))
                .col(uuid_null(Orders::ProductId))
                .col(integer_null(Orders::Months))
                .col(string_len_null(Orders::DeviceId, 128))
                .col(string_len(Orders::Status, 16))
                // `admin`, `balance`, `payme` or `click`, once completed.
                .col(string_len_null(Orders::PaidVia, 16))
                .col(uuid_null(Orders::SubscriptionId))
                .col(timestamp_with_time_zone_null(Orders::CompletedAt))
                .col(timestamp_with_time_zone_null(Orders::CancelledAt))
                .col(timestamp_with_time_zone_null(Orders::RefundedAt))
                .col(timestamp_with_time_zone(Orders::CreatedAt))
                .col(timestamp_with_time_zone(Orders::UpdatedAt))
                .check((
                    Alias::new("orders_amount_check"),
                    Expr::col(Orders::Amount).between(1, 100_000_000),
                ))
                .check((
                    Alias::new("orders_status_check"),
                    Expr::cust("status IN ('pending', 'completed', 'cancelled')"),
                ))
                .check((Alias::new("orders_kind_check"), Expr::cust(KINDS)))
                .foreign_key(&mut foreign_key(
                    "orders_user_id_fkey",
                    (Orders::Table, Orders::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut foreign_key(
                    "orders_offering_id_fkey",
                    (Orders::Table, Orders::OfferingId),
                    (Offerings::Table, Offerings::Id),
                ))
                .to_owned(),
        )
        .await?;
    // A user's orders and the admin's lists by status, newest first (UUID v7 ids).
    index(
        manager,
        "orders_user_id_id_idx",
        Orders::Table,
        vec![Orders::UserId.into_iden(), Orders::Id.into_iden()],
    )
    .await?;
    index(
        manager,
        "orders_status_id_idx",
        Orders::Table,
        vec![Orders::Status.into_iden(), Orders::Id.into_iden()],
    )
    .await?;
    index(
        manager,
        "orders_offering_id_idx",
        Orders::Table,
        vec![Orders::OfferingId.into_iden()],
    )
    .await
}

async fn create_payme_transactions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PaymeTransactions::Table)
                .col(pk_uuid(PaymeTransactions::Id))
                .col(string_len_uniq(PaymeTransactions::PaymeId, 64))
                .col(uuid(PaymeTransactions::OrderId))
                // Tiyin, as Payme sends it.
                .col(big_integer(PaymeTransactions::Amount))
                .col(small_integer(PaymeTransactions::State))
                .col(small_integer_null(PaymeTransactions::Reason))
                // Milliseconds since the epoch: Payme's `time`, and ours.
                .col(big_integer(PaymeTransactions::PaymeTime))
                .col(big_integer(PaymeTransactions::CreateTime))
                .col(big_integer(PaymeTransactions::PerformTime))
                .col(big_integer(PaymeTransactions::CancelTime))
                .check((
                    Alias::new("payme_transactions_state_check"),
                    Expr::cust("state IN (1, 2, -1, -2)"),
                ))
                .foreign_key(&mut foreign_key(
                    "payme_transactions_order_id_fkey",
                    (PaymeTransactions::Table, PaymeTransactions::OrderId),
                    (Orders::Table, Orders::Id),
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "payme_transactions_payme_time_idx",
        PaymeTransactions::Table,
        vec![PaymeTransactions::PaymeTime.into_iden()],
    )
    .await?;
    // One waiting transaction per order: a second CreateTransaction is refused.
    manager
        .get_connection()
        .execute_unprepared(
            "CREATE UNIQUE INDEX payme_transactions_waiting_order_id_key \
             ON payme_transactions (order_id) WHERE state = 1",
        )
        .await?;
    Ok(())
}

async fn create_click_transactions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ClickTransactions::Table)
                // Click's `merchant_prepare_id` and `merchant_confirm_id`: an integer.
                .col(pk_auto(ClickTransactions::PrepareId))
                .col(big_integer_uniq(ClickTransactions::ClickTransId))
                .col(big_integer(ClickTransactions::ClickPaydocId))
                .col(uuid(ClickTransactions::OrderId))
                // So'm.
                .col(big_integer(ClickTransactions::Amount))
                // 1 prepared, 2 completed, -1 cancelled.
                .col(small_integer(ClickTransactions::State))
                .col(timestamp_with_time_zone(ClickTransactions::CreatedAt))
                .col(timestamp_with_time_zone(ClickTransactions::UpdatedAt))
                .check((
                    Alias::new("click_transactions_state_check"),
                    Expr::cust("state IN (1, 2, -1)"),
                ))
                .foreign_key(&mut foreign_key(
                    "click_transactions_order_id_fkey",
                    (ClickTransactions::Table, ClickTransactions::OrderId),
                    (Orders::Table, Orders::Id),
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "click_transactions_order_id_idx",
        ClickTransactions::Table,
        vec![ClickTransactions::OrderId.into_iden()],
    )
    .await
}

async fn create_payment_requests(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PaymentRequests::Table)
                .col(pk_uuid(PaymentRequests::Id))
                .col(string_len(PaymentRequests::Provider, 8))
                .col(string_len(PaymentRequests::Method, 64))
                // The body as received (never the Authorization header).
                .col(text(PaymentRequests::Request))
                .col(text(PaymentRequests::Response))
                .col(timestamp_with_time_zone(PaymentRequests::CreatedAt))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "payment_requests_provider_id_idx",
        PaymentRequests::Table,
        vec![
            PaymentRequests::Provider.into_iden(),
            PaymentRequests::Id.into_iden(),
        ],
    )
    .await
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Offerings {
    Table,
    Id,
    Name,
    Description,
    Price,
    Kind,
    CourseId,
    ProductId,
    Months,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    UserId,
    OfferingId,
    Name,
    Amount,
    Kind,
    CourseId,
    ProductId,
    Months,
    DeviceId,
    Status,
    PaidVia,
    SubscriptionId,
    CompletedAt,
    CancelledAt,
    RefundedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PaymeTransactions {
    Table,
    Id,
    PaymeId,
    OrderId,
    Amount,
    State,
    Reason,
    PaymeTime,
    CreateTime,
    PerformTime,
    CancelTime,
}

#[derive(DeriveIden)]
enum ClickTransactions {
    Table,
    PrepareId,
    ClickTransId,
    ClickPaydocId,
    OrderId,
    Amount,
    State,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PaymentRequests {
    Table,
    Id,
    Provider,
    Method,
    Request,
    Response,
    CreatedAt,
}
