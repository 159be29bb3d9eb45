//! Every route, registered through utoipa-actix-web's `service(...)` so that each
//! appears in the OpenAPI document (a `.route(...)` would silently escape it).

mod admin;
mod auth;
mod catalogue;
mod cookies;
mod files;
mod learning;
mod me;
mod olympiads;
mod operations;
mod orders;
mod payments;
mod quizzes;
mod search;
mod shop;
mod telegram;
mod uploads;
mod wallet;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

// Error answers several routes share, one `- `code`: when` line each (the
// document adds the ones every route of a kind shares: see `openapi.rs`).
const RATE_LIMITED: &str = "- `rate_limited`: too many requests from this address, or too many code mails to this email; `Retry-After` says how long to wait";
const RESEND_TOO_SOON: &str = "- `rate_limited`: before `resend_in` has passed, or too many requests or code mails; `Retry-After` says how long to wait";
const CODE_ERRORS: &str = "- `auth.code_invalid`: the code is wrong, not six digits, or of another flow (`errors[].field` `code`)\n- `auth.code_expired`: the challenge is unknown, expired, already used, or another request won it\n- `auth.challenge_locked`: the sixth try, even with the right code, and every try after it\n- `validation`: a field over its maximum length (`errors[].code` `length`)";
const OVER_LENGTH: &str =
    "- `validation`: a field over its maximum length (`errors[].code` `length`)";
const REFRESH_INVALID: &str = "- `auth.refresh_invalid`: no refresh token in the body or cookie, or an unknown, expired, spent or revoked one (a spent one revokes its whole family), or the account is inactive";

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(operations::live)
        .service(operations::ready)
        .service(operations::metrics)
        .service(
            scope::scope("/api/v1")
                .service(files::download)
                .service(auth::register)
                .service(auth::register_verify)
                .service(auth::login)
                .service(auth::login_verify)
                .service(auth::password_forgot)
                .service(auth::password_verify)
                .service(auth::password_reset)
                .service(auth::code_resend)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::logout_all)
                .service(me::me)
                .service(me::update_me)
                .service(me::put_avatar)
                .service(me::change_password)
                .service(me::delete_me)
                .service(admin::auth::login)
                .service(admin::auth::login_verify)
                .service(admin::auth::code_resend)
                .service(admin::auth::refresh)
                .service(admin::auth::logout)
                .service(admin::users::list)
                .service(admin::users::get)
                .service(admin::users::update)
                .service(admin::access::grant)
                .service(admin::access::revoke)
                .service(admin::access::reset_workbook)
                .service(admin::access::reset_certificate)
                .service(admin::admins::list)
                .service(admin::admins::create)
                .service(admin::admins::update)
                .service(admin::audit::list)
                .service(admin::stats::stats)
                .service(catalogue::directions)
                .service(catalogue::direction)
                .service(catalogue::courses)
                .service(catalogue::course)
                .service(catalogue::lesson)
                .service(search::search)
                .service(learning::video)
                .service(learning::progress)
                .service(learning::my_progress)
                .service(learning::download_workbook)
                .service(learning::claim_certificate)
                .service(learning::check_certificate)
                .service(admin::catalogue::directions)
                .service(admin::catalogue::create_direction)
                .service(admin::catalogue::get_direction)
                .service(admin::catalogue::update_direction)
                .service(admin::catalogue::delete_direction)
                .service(admin::catalogue::courses)
                .service(admin::catalogue::create_course)
                .service(admin::catalogue::get_course)
                .service(admin::catalogue::update_course)
                .service(admin::catalogue::delete_course)
                .service(admin::catalogue::create_module)
                .service(admin::catalogue::update_module)
                .service(admin::catalogue::delete_module)
                .service(admin::catalogue::create_lesson)
                .service(admin::catalogue::update_lesson)
                .service(admin::catalogue::delete_lesson)
                .service(admin::catalogue::set_video)
                .service(admin::catalogue::create_workbook)
                .service(admin::catalogue::delete_workbook)
                .service(admin::catalogue::put_certificate)
                .service(wallet::wallet)
                .service(wallet::entries)
                .service(admin::wallet::top_up)
                .service(admin::wallet::adjust)
                .service(admin::wallet::entries)
                .service(shop::products)
                .service(shop::price)
                .service(shop::purchase)
                .service(shop::my_subscriptions)
                .service(shop::move_device)
                .service(shop::check_licence)
                .service(shop::subjects)
                .service(shop::put_school)
                .service(admin::shop::products)
                .service(admin::shop::create_product)
                .service(admin::shop::update_product)
                .service(admin::shop::user_subscriptions)
                .service(admin::shop::update_subscription)
                .service(admin::shop::delete_subscription)
                .service(orders::offerings)
                .service(orders::place)
                .service(orders::mine)
                .service(orders::get)
                .service(orders::cancel)
                .service(orders::pay_balance)
                .service(admin::orders::offerings)
                .service(admin::orders::create_offering)
                .service(admin::orders::update_offering)
                .service(admin::orders::delete_offering)
                .service(admin::orders::list)
                .service(admin::orders::complete)
                .service(admin::orders::cancel)
                .service(payments::payme)
                .service(payments::click_prepare)
                .service(payments::click_complete)
                .service(telegram::pre_register)
                .service(telegram::check)
                .service(telegram::register)
                .service(telegram::webhook)
                .service(quizzes::test)
                .service(quizzes::start)
                .service(quizzes::attempts)
                .service(quizzes::attempt)
                .service(quizzes::save_answers)
                .service(quizzes::submit)
                .service(quizzes::leaderboard)
                .service(admin::quizzes::create_test)
                .service(admin::quizzes::get_test)
                .service(admin::quizzes::update_test)
                .service(admin::quizzes::delete_test)
                .service(admin::quizzes::create_question)
                .service(admin::quizzes::update_question)
                .service(admin::quizzes::delete_question)
                .service(olympiads::list)
                .service(olympiads::get)
                .service(olympiads::register)
                .service(olympiads::unregister)
                .service(olympiads::attempt)
                .service(olympiads::results)
                .service(admin::olympiads::list)
                .service(admin::olympiads::create)
                .service(admin::olympiads::update)
                .service(admin::olympiads::remove)
                .service(admin::olympiads::participants),
        );
}
