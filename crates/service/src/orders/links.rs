//! The checkout links of a pending order, as each provider specifies them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bilim_domain::orders::{Order, OrderStatus};

/// Where a user pays; `None` for a provider that is not configured.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PayLinks {
    pub payme_url: Option<String>,
    pub click_url: Option<String>,
}

/// The merchant ids the links name.
#[derive(Debug, Clone, Default)]
pub struct PaymentLinks {
    /// `BILIM_PAYME_MERCHANT_ID`, when Payme is configured.
    pub payme_merchant_id: Option<String>,
    /// `BILIM_CLICK_SERVICE_ID` and `BILIM_CLICK_MERCHANT_ID`, when Click is.
    pub click: Option<(String, String)>,
}

pub const PAYME_CHECKOUT: &str = "https://checkout.paycom.uz/";
pub const CLICK_CHECKOUT: &str = "https://my.click.uz/services/pay";

impl PaymentLinks {
    pub fn of(&self, order: &Order) -> PayLinks {
        if order.status != OrderStatus::Pending {
            return PayLinks::default();
        }
        PayLinks {
            // Payme: base64 of `m=<merchant>;ac.order_id=<id>;a=<tiyin>`.
            payme_url: self.payme_merchant_id.as_ref().map(|merchant| {
                let params = format!(
                    "m={merchant};ac.order_id={};a={}",
                    order.id,
                    order.amount.saturating_mul(100)
                );
                format!("{PAYME_CHECKOUT}{}", STANDARD.encode(params))
            }),
            // Click: the order id is `transaction_param`, Click's `merchant_trans_id`.
            click_url: self.click.as_ref().map(|(service, merchant)| {
                format!(
                    "{CLICK_CHECKOUT}?service_id={service}&merchant_id={merchant}&amount={}&transaction_param={}",
                    order.amount, order.id
                )
            }),
        }
    }
}
