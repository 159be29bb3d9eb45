//! Avatar images: the type is decided by magic bytes, never by the client's
//! word; the image is decoded under size limits, scaled to at most 512 px and
//! re-encoded as JPEG, which drops all metadata (EXIF, GPS) along the way.

use crate::{ServiceError, ServiceResult};
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

pub const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;
const MAX_SIDE: u32 = 512;
const MAX_DECODED_SIDE: u32 = 8192;

fn not_allowed() -> ServiceError {
    ServiceError::UnsupportedMedia {
        code: "file.type_not_allowed",
        message: "Send a JPEG, PNG or WebP image.".into(),
    }
}

/// JPEG, PNG or WebP by content.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(ImageFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageFormat::Png),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// The cleaned JPEG bytes of an uploaded image. CPU-bound: runs on the
/// blocking pool.
pub async fn clean(bytes: Vec<u8>) -> ServiceResult<Vec<u8>> {
    if bytes.len() > MAX_AVATAR_BYTES {
        return Err(ServiceError::TooLarge {
            code: "file.too_large",
            message: format!(
                "Images are limited to {} MiB.",
                MAX_AVATAR_BYTES / 1024 / 1024
            ),
        });
    }
    let format = sniff(&bytes).ok_or_else(not_allowed)?;
    tokio::task::spawn_blocking(move || reencode(&bytes, format))
        .await
        .map_err(|e| ServiceError::Internal(format!("avatar task failed: {e}")))?
}

fn reencode(bytes: &[u8], format: ImageFormat) -> ServiceResult<Vec<u8>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|error| {
        tracing::info!(%error, "avatar did not decode");
        ServiceError::validation(
            "image",
            "file.invalid_image",
            "The image could not be read.",
        )
    })?;
    let image = if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        image
    };
    let mut out = Cursor::new(Vec::new());
    image
        .to_rgb8()
        .write_to(&mut out, ImageFormat::Jpeg)
        .map_err(|e| ServiceError::Internal(format!("jpeg encode: {e}")))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, RgbImage};

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[tokio::test]
    async fn png_and_webp_become_a_small_jpeg() {
        for format in [ImageFormat::Png, ImageFormat::WebP, ImageFormat::Jpeg] {
            let cleaned = clean(encoded(1200, 800, format)).await.unwrap();
            assert_eq!(sniff(&cleaned), Some(ImageFormat::Jpeg));
            let decoded = image::load_from_memory(&cleaned).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (512, 341));
        }
    }

    #[tokio::test]
    async fn other_types_are_refused_by_content() {
        let gif = b"GIF89a\x01\x00\x01\x00".to_vec();
        assert!(matches!(
            clean(gif).await,
            Err(ServiceError::UnsupportedMedia { .. })
        ));
        let pdf_named_png = b"%PDF-1.7 pretending".to_vec();
        assert!(matches!(
            clean(pdf_named_png).await,
            Err(ServiceError::UnsupportedMedia { .. })
        ));
    }

    #[tokio::test]
    async fn a_truncated_image_is_a_clear_400() {
        let mut png = encoded(64, 64, ImageFormat::Png);
        png.truncate(40);
        assert!(matches!(
            clean(png).await,
            Err(ServiceError::Validation {
                code: "file.invalid_image",
                ..
            })
        ));
    }

    #[tokio::test]
    async fn oversized_uploads_are_refused() {
        let mut big = encoded(8, 8, ImageFormat::Png);
        big.resize(MAX_AVATAR_BYTES + 1, 0);
        assert!(matches!(
            clean(big).await,
            Err(ServiceError::TooLarge { .. })
        ));
    }
}
