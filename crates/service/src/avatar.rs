//! Avatar images: the type is decided by magic bytes, never by the client's
//! word; the image is decoded under size limits, scaled to at most 512 px and
//! re-encoded as JPEG, which drops all metadata (EXIF, GPS) along the way.
//!
//! A small file can decode to a huge bitmap (a 191 KiB PNG of 8192×8192 px is
//! 200 MiB decoded), so the dimensions are read from the header first and
//! anything over `MAX_PIXELS` is refused before a pixel is decoded; and images
//! are decoded on their own small pool ([`image_pool`]), so only a few bitmaps
//! exist at once and a burst beyond its queue is a 503 with `Retry-After`.

use crate::cpu_pool::CpuPool;
use crate::{ServiceError, ServiceResult};
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

pub const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;
const MAX_SIDE: u32 = 512;
const MAX_DECODED_SIDE: u32 = 8192;
/// The most pixels decoded: a 24-megapixel camera photo (6000×4000).
pub const MAX_PIXELS: u64 = 24_000_000;
/// What one decode may allocate: the largest image as RGBA, with room to spare.
const MAX_ALLOC: u64 = MAX_PIXELS * 4 + 16 * 1024 * 1024;
/// Images decoded at once, and waiting to be.
const IMAGE_THREADS: usize = 2;
const IMAGE_QUEUE: usize = 8;

/// The pool avatar images are decoded on: two at a time, eight waiting.
pub fn image_pool() -> CpuPool {
    CpuPool::named("image processing", IMAGE_THREADS, IMAGE_QUEUE)
}

/// Over the pixel cap: a 400 like any image that does not decode (api.md:
/// `file.invalid_image` covers "over 8192 px on a side" already).
fn too_many_pixels() -> ServiceError {
    ServiceError::validation(
        "image",
        "file.invalid_image",
        format!(
            "Images are limited to {} megapixels.",
            MAX_PIXELS / 1_000_000
        ),
    )
}

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

/// The cleaned JPEG bytes of an uploaded image. CPU-bound: runs on `pool`.
pub async fn clean(pool: &CpuPool, bytes: Vec<u8>) -> ServiceResult<Vec<u8>> {
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
    pool.run(move || reencode(&bytes, format)).await?
}

fn unreadable(error: image::ImageError) -> ServiceError {
    tracing::info!(%error, "avatar did not decode");
    ServiceError::validation(
        "image",
        "file.invalid_image",
        "The image could not be read.",
    )
}

fn reencode(bytes: &[u8], format: ImageFormat) -> ServiceResult<Vec<u8>> {
    let reader = || {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_DECODED_SIDE);
        limits.max_image_height = Some(MAX_DECODED_SIDE);
        limits.max_alloc = Some(MAX_ALLOC);
        reader.limits(limits);
        reader
    };
    // The header alone says how large the bitmap would be.
    let (width, height) = reader().into_dimensions().map_err(|error| match error {
        image::ImageError::Limits(_) => too_many_pixels(),
        other => unreadable(other),
    })?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_many_pixels());
    }
    let image = reader().decode().map_err(unreadable)?;
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
            let cleaned = clean(&image_pool(), encoded(1200, 800, format))
                .await
                .unwrap();
            assert_eq!(sniff(&cleaned), Some(ImageFormat::Jpeg));
            let decoded = image::load_from_memory(&cleaned).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (512, 341));
        }
    }

    #[tokio::test]
    async fn other_types_are_refused_by_content() {
        let gif = b"GIF89a\x01\x00\x01\x00".to_vec();
        assert!(matches!(
            clean(&image_pool(), gif).await,
            Err(ServiceError::UnsupportedMedia { .. })
        ));
        let pdf_named_png = b"%PDF-1.7 pretending".to_vec();
        assert!(matches!(
            clean(&image_pool(), pdf_named_png).await,
            Err(ServiceError::UnsupportedMedia { .. })
        ));
    }

    #[tokio::test]
    async fn a_truncated_image_is_a_clear_400() {
        let mut png = encoded(64, 64, ImageFormat::Png);
        png.truncate(40);
        assert!(matches!(
            clean(&image_pool(), png).await,
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
            clean(&image_pool(), big).await,
            Err(ServiceError::TooLarge { .. })
        ));
    }

    /// A PNG whose header says `width`×`height`, followed by a token IDAT: the
    /// decompression bomb's shape without its 200 MiB.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for &byte in bytes {
                crc ^= u32::from(byte);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend_from_slice(data);
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32(&body).to_be_bytes());
        }
        let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let mut header = Vec::new();
        header.extend_from_slice(&width.to_be_bytes());
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &header);
        chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x03, 0x00]);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    #[tokio::test]
    async fn too_many_pixels_are_refused_from_the_header() {
        let megapixels = |result: &ServiceResult<Vec<u8>>| match result {
            Err(ServiceError::Validation { code, message, .. }) => {
                *code == "file.invalid_image" && message.contains("megapixels")
            }
            _ => false,
        };
        for (width, height) in [(8192, 8192), (6001, 4000)] {
            let refused = clean(&image_pool(), png_header(width, height)).await;
            assert!(megapixels(&refused), "{width}x{height}: {refused:?}");
        }
        // Within the cap the header passes; the missing pixels are another 400.
        let small = clean(&image_pool(), png_header(6000, 4000)).await;
        assert!(
            matches!(
                small,
                Err(ServiceError::Validation {
                    code: "file.invalid_image",
                    ..
                })
            ) && !megapixels(&small),
            "{small:?}"
        );
    }

    #[tokio::test]
    async fn a_busy_image_pool_answers_503() {
        let pool = CpuPool::named("image processing", 1, 1);
        let gate = std::sync::Arc::new(std::sync::Barrier::new(2));
        let (started, running) = std::sync::mpsc::channel();
        let held = std::sync::Arc::clone(&gate);
        let busy = pool.clone();
        let first = tokio::spawn(async move {
            busy.run(move || {
                let _ = started.send(());
                held.wait();
            })
            .await
        });
        // The spawned task sends its job once this one yields.
        tokio::task::yield_now().await;
        running.recv().unwrap();
        let queued = pool.clone();
        let second = tokio::spawn(async move { queued.run(|| ()).await });
        // On this one-thread runtime the yield lets the second job take the
        // one queue slot before the image asks for it.
        tokio::task::yield_now().await;
        let refused = clean(&pool, encoded(8, 8, ImageFormat::Png)).await;
        assert!(
            matches!(
                refused,
                Err(ServiceError::Unavailable {
                    service: "image processing",
                    ..
                })
            ),
            "{refused:?}"
        );
        gate.wait();
        first.await.unwrap().unwrap();
        second.await.unwrap().unwrap();
    }
}
