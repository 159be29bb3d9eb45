//! How a line is drawn ([`Style`]), fitted text with its drawing ([`Block`]),
//! and the [`Writer`] that places lines and shapes on a [`Page`].

use super::{
    CENTRE, FOOTER_RIGHT, Line, MIDDLE_BOTTOM, MIDDLE_TOP, MUTED, Page, Rgb, Shape, Stroke,
};
use crate::font::{Font, Weight};
use crate::text::{self, Fit, Fitted};

/// How a line is drawn.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    weight: Weight,
    size: f32,
    /// Extra space after each character, in points.
    spacing: f32,
    color: Rgb,
}

pub(super) fn style(weight: Weight, size: f32, color: Rgb) -> Style {
    Style {
        weight,
        size,
        spacing: 0.0,
        color,
    }
}

impl Style {
    pub(super) fn spaced(self, spacing: f32) -> Self {
        Self { spacing, ..self }
    }
}

/// Fitted text with how it is drawn.
pub(super) struct Block {
    pub(super) fitted: Fitted,
    weight: Weight,
    color: Rgb,
    leading: f32,
}

impl Block {
    pub(super) fn style(&self) -> Style {
        style(self.weight, self.fitted.size, self.color)
    }

    pub(super) fn line_height(&self) -> f32 {
        self.fitted.size * self.leading
    }

    fn height(&self) -> f32 {
        self.line_height() * self.fitted.lines.len() as f32
    }
}

/// Places lines and shapes on a [`Page`].
pub(super) struct Writer<'f> {
    pub(super) regular: &'f Font,
    pub(super) bold: &'f Font,
    pub(super) page: Page,
}

impl Writer<'_> {
    fn font(&self, weight: Weight) -> &Font {
        match weight {
            Weight::Regular => self.regular,
            Weight::Bold => self.bold,
        }
    }

    fn width(&self, text: &str, style: Style) -> f32 {
        let gaps = text.chars().count().saturating_sub(1) as f32;
        self.font(style.weight).width(text) * style.size + style.spacing * gaps
    }

    pub(super) fn stroke(&mut self, shape: Shape, width: f32, color: Rgb) {
        self.page.strokes.push(Stroke {
            shape,
            width,
            color,
        });
    }

    fn push(&mut self, text: &str, style: Style, x: f32, baseline: f32) {
        let width = self.width(text, style);
        self.page.lines.push(Line {
            text: text.to_owned(),
            weight: style.weight,
            size: style.size,
            spacing: style.spacing,
            x,
            baseline,
            width,
            color: style.color,
        });
    }

    pub(super) fn centred(&mut self, text: &str, style: Style, baseline: f32) {
        let x = CENTRE - self.width(text, style) / 2.0;
        self.push(text, style, x, baseline);
    }

    pub(super) fn left(&mut self, text: &str, style: Style, x: f32, baseline: f32) {
        self.push(text, style, x, baseline);
    }

    /// Ends at the right footer column.
    pub(super) fn right(&mut self, text: &str, style: Style, baseline: f32) {
        let x = FOOTER_RIGHT - self.width(text, style);
        self.push(text, style, x, baseline);
    }

    pub(super) fn block(
        &self,
        text: &str,
        weight: Weight,
        color: Rgb,
        leading: f32,
        fit: Fit,
    ) -> Block {
        Block {
            fitted: text::fit(self.font(weight), text, fit),
            weight,
            color,
            leading,
        }
    }

    pub(super) fn label(&self, text: &str) -> Block {
        Block {
            fitted: Fitted {
                size: 11.0,
                lines: vec![text.to_owned()],
            },
            weight: Weight::Regular,
            color: MUTED,
            leading: 1.3,
        }
    }

    /// Centres each line of `block` from `top` down.
    pub(super) fn place(&mut self, block: &Block, top: f32) {
        let size = block.fitted.size;
        let height = block.line_height();
        for (i, line) in block.fitted.lines.iter().enumerate() {
            // The baseline leaves room for the descender in the line box.
            let baseline = top - (i + 1) as f32 * height + 0.24 * size;
            self.centred(line, block.style(), baseline);
        }
    }

    /// Stacks `blocks` with `gaps` between them, centred in the middle zone;
    /// the gaps grow (up to double) when there is room.
    pub(super) fn stack(&mut self, blocks: &[Block], gaps: &[f32]) {
        let content: f32 = blocks.iter().map(Block::height).sum();
        let gap_total: f32 = gaps.iter().sum();
        let room = MIDDLE_TOP - MIDDLE_BOTTOM;
        let scale = ((room - content) / gap_total).clamp(1.0, 2.0);
        let total = content + gap_total * scale;
        let mut top = MIDDLE_TOP - (room - total).max(0.0) / 2.0;
        for (i, block) in blocks.iter().enumerate() {
            self.place(block, top);
            top -= block.height() + gaps.get(i).copied().unwrap_or(0.0) * scale;
        }
    }
}
