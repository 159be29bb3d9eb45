//! `AdminCatalogue` and `Catalogue` over fakes, and upload forms as the HTTP
//! layer hands them over.

use super::{IP, clock, dyn_clock, start};
use bilim_domain::admins::{Admin, AdminRole};
use bilim_domain::catalogue::{
    Course, CourseStatus, CourseTree, Direction, Level, ModuleTree, OutlineItem, OutlineLevel,
};
use bilim_domain::ports::ManualClock;
use bilim_service::ServiceResult;
use bilim_service::admin::{Actor, Auditor};
use bilim_service::catalogue::{AdminCatalogue, UploadLimits};
use bilim_service::uploads::FormPart;
use bilim_testkit::fakes::{
    FakeCatalogueWriter, InMemoryAuditLog, InMemoryCatalogueReader, InMemoryFileStore,
    InMemoryUserRepository,
};
use futures_util::stream;
use std::sync::Arc;
use uuid::Uuid;

/// `AdminCatalogue` over fakes, with a direction, a course, a module and a
/// lesson already in place (in the writer and in the reader).
pub struct CatalogueKit {
    pub clock: Arc<ManualClock>,
    pub reader: Arc<InMemoryCatalogueReader>,
    pub writer: Arc<FakeCatalogueWriter>,
    pub users: Arc<InMemoryUserRepository>,
    pub files: Arc<InMemoryFileStore>,
    pub audit: Arc<InMemoryAuditLog>,
    pub catalogue: AdminCatalogue,
    pub admin: Admin,
    pub direction: Direction,
    pub course: Course,
    pub module: OutlineItem,
    pub lesson: OutlineItem,
    /// The seeded course (a draft) as the reader holds it.
    pub tree: CourseTree,
}

pub const UPLOAD_LIMITS: UploadLimits = UploadLimits {
    workbook_bytes: 1024,
    video_bytes: 2048,
};

pub fn catalogue_kit() -> CatalogueKit {
    let clock = clock();
    let now = start();
    let reader = Arc::new(InMemoryCatalogueReader::new());
    let writer = Arc::new(FakeCatalogueWriter::new());
    let users = Arc::new(InMemoryUserRepository::new());
    let files = Arc::new(InMemoryFileStore::new());
    let audit = Arc::new(InMemoryAuditLog::new());
    let auditor = Auditor::new(audit.clone(), dyn_clock(&clock));
    let catalogue = AdminCatalogue::new(
        reader.clone(),
        writer.clone(),
        users.clone(),
        files.clone(),
        UPLOAD_LIMITS,
        auditor,
        dyn_clock(&clock),
    );
    let admin = Admin {
        id: Uuid::now_v7(),
        username: "dilnoza".into(),
        email: "dilnoza@example.uz".into(),
        password_hash: String::new(),
        role: AdminRole::Admin,
        active: true,
        tg_id: None,
        token_version: 0,
        last_login_at: None,
        created_at: now,
        updated_at: now,
    };
    let direction = Direction {
        id: Uuid::now_v7(),
        name: "Matematika".into(),
        description: None,
        position: 1,
        created_at: now,
        updated_at: now,
    };
    let course = Course {
        id: Uuid::now_v7(),
        direction_id: direction.id,
        title: "Algebra".into(),
        description: String::new(),
        level: Level::Beginner,
        status: CourseStatus::Draft,
        teacher_id: None,
        access_months: 6,
        created_at: now,
        updated_at: now,
    };
    let item = |level, parent_id, title: &str| OutlineItem {
        level,
        id: Uuid::now_v7(),
        parent_id,
        title: title.into(),
        description: String::new(),
        position: 1,
    };
    let module = item(OutlineLevel::Module, course.id, "Tenglamalar");
    let lesson = item(OutlineLevel::Lesson, module.id, "Chiziqli tenglama");
    writer.add_direction(direction.clone());
    writer.add_course(course.clone());
    writer.add_outline(module.clone());
    writer.add_outline(lesson.clone());
    let tree = CourseTree {
        course: course.clone(),
        direction: direction.clone(),
        teacher: None,
        modules: vec![ModuleTree {
            module: module.clone().into_module(),
            lessons: vec![lesson.clone().into_lesson()],
        }],
        workbooks: Vec::new(),
        certificate: None,
        tests: Vec::new(),
    };
    reader.put_tree(tree.clone());
    CatalogueKit {
        clock,
        reader,
        writer,
        users,
        files,
        audit,
        catalogue,
        admin,
        direction,
        course,
        module,
        lesson,
        tree,
    }
}

impl CatalogueKit {
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            admin: &self.admin,
            ip: IP,
        }
    }

    /// What the writer committed, by audit action.
    pub fn actions(&self) -> Vec<String> {
        let recorded = self.writer.recorded().into_iter();
        recorded.map(|r| r.audit.action).collect()
    }

    /// Nothing committed, nothing stored, nothing half-written.
    pub fn assert_untouched(&self) {
        assert_eq!(self.writer.recorded(), Vec::new());
        assert_eq!(self.files.keys(), Vec::<String>::new());
        assert_eq!(self.files.open_writers(), 0);
    }
}

/// The chunks of a form part, as the HTTP layer hands them over.
pub type Chunks = stream::Iter<std::vec::IntoIter<Result<Vec<u8>, String>>>;
pub type Part = ServiceResult<FormPart<Chunks>>;
pub type Form = stream::Iter<std::vec::IntoIter<Part>>;

/// A part whose bytes arrive in chunks of five.
pub fn part(name: &str, bytes: &[u8]) -> Part {
    let chunks: Vec<Result<Vec<u8>, String>> =
        bytes.chunks(5).map(|chunk| Ok(chunk.to_vec())).collect();
    Ok(FormPart {
        name: name.to_owned(),
        chunks: stream::iter(chunks),
    })
}

pub fn form(parts: Vec<Part>) -> Form {
    stream::iter(parts)
}

/// A PDF (by its first bytes) of exactly `len` bytes.
pub fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(len, b'x');
    bytes
}

/// An MP4 (by its `ftyp` box) of exactly `len` bytes.
pub fn mp4(len: usize) -> Vec<u8> {
    let mut bytes = b"\0\0\0\x18ftypisom".to_vec();
    bytes.resize(len, 0);
    bytes
}
