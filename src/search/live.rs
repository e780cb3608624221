//! The index and its export kept up to date while `folio serve` runs: an edit to one page
//! replaces that page's documents in the tantivy index and rewrites only the export files its
//! changed words touch, instead of indexing the whole site again.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};
use tantivy::query::RangeQuery;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::analyzer::{self, FormRecorder, MultilingualTokenizer, TOKENIZER_NAME, split_words};
use super::export::{self, Edit, ExportState, Update};
use super::index::{self, Fields, Numbering, SearchPage};
use super::synonyms::{self, Compiled};

/// Memory the live writer may use: one page at a time needs little.
const WRITER_MEMORY: usize = 20 << 20;

/// A built index and export, and what updating them needs.
pub struct LiveIndex {
    dir: PathBuf,
    language: String,
    numbering: Numbering,
    pages: Vec<SearchPage>,
    first_ords: Vec<u64>,
    export: ExportState,
    writer: Option<Writer>,
}

/// The index open for writing, opened at the first edit.
struct Writer {
    fields: Fields,
    writer: IndexWriter<TantivyDocument>,
    reader: IndexReader,
    forms: Arc<FormRecorder>,
    /// The synonyms the index was built with.
    synonyms: Arc<Compiled>,
}

impl LiveIndex {
    /// The index in `dir`, built from `pages` numbered by `numbering`, whose export `export`
    /// describes.
    pub fn new(
        dir: &Path,
        language: &str,
        numbering: Numbering,
        pages: Vec<SearchPage>,
        export: ExportState,
    ) -> LiveIndex {
        LiveIndex {
            dir: dir.to_path_buf(),
            language: language.to_string(),
            first_ords: numbering.first_ords(&pages),
            numbering,
            pages,
            export,
            writer: None,
        }
    }

    /// Replaces the documents of page `number` (in reading order) with those of `page`, and
    /// returns the export files to rewrite. `None` when the page has outgrown the numbers set
    /// aside for it: only a full build can renumber.
    pub fn replace_page(&mut self, number: usize, page: SearchPage) -> Result<Option<Update>> {
        let old = &self.pages[number];
        let block = self.numbering.block(old);
        if index::document_count(&page) > block {
            return Ok(None);
        }
        let first = self.first_ords[number];
        if self.writer.is_none() {
            let (index, fields, settings) = index::open_in(&self.dir, UnsyncedDirectory::open)?;
            let synonyms = settings.compiled_synonyms();
            self.writer = Some(open_writer(index, fields, &self.language, synonyms)?);
        }
        let writer = self.writer.as_mut().expect("opened above");
        let changed_terms = changed_terms(old, &page, &self.language, &writer.synonyms);
        let ord = |n: u64| Term::from_field_u64(writer.fields.ord, n);
        writer.writer.delete_query(Box::new(RangeQuery::new(
            Bound::Included(ord(first)),
            Bound::Excluded(ord(first + block)),
        )))?;
        for document in index::page_documents(&writer.fields, &page, first, &self.language) {
            writer.writer.add_document(document)?;
        }
        writer.writer.commit()?;
        writer.reader.reload()?;
        let known = self.export.vocabulary();
        let searcher = writer.reader.searcher();
        let mut recorded = index::vocabulary_of(writer.forms.take());
        let indexed = Compiled::indexed_in(&searcher, &writer.fields);
        writer.synonyms.extend_vocabulary(&mut recorded, indexed);
        let new_forms: index::Vocabulary = recorded
            .into_iter()
            .filter(|(form, terms)| {
                let had = known.get(form);
                !terms.iter().all(|t| had.is_some_and(|k| k.contains(t)))
            })
            .collect();
        let has_new_forms = !new_forms.is_empty();
        self.pages[number] = page;
        let edit = Edit {
            new_forms,
            changed_terms,
            number,
            pages: &self.pages,
        };
        let update = export::update(&mut self.export, &searcher, &writer.fields, edit)?;
        if has_new_forms {
            index::write_vocabulary(&self.dir, self.export.vocabulary())?;
        }
        Ok(Some(update))
    }
}

fn open_writer(
    index: Index,
    fields: Fields,
    language: &str,
    synonyms: Arc<Compiled>,
) -> Result<Writer> {
    let forms = Arc::new(FormRecorder::default());
    index.tokenizers().register(
        TOKENIZER_NAME,
        synonyms::analyzer(
            MultilingualTokenizer::recording(language, forms.clone()),
            &synonyms,
        ),
    );
    let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(Writer {
        fields,
        writer,
        reader,
        forms,
        synonyms,
    })
}

/// The terms whose entries in the export change when the page's documents are replaced: every
/// term of the page as it was and as it is. Those whose frequency or field length changed have
/// new postings; the others a new document frequency, as tantivy counts it: the replaced
/// documents count until a merge removes them, as their replacements do.
fn changed_terms(
    old: &SearchPage,
    new: &SearchPage,
    site_language: &str,
    synonyms: &Compiled,
) -> Vec<String> {
    let mut changed = BTreeSet::new();
    for page in [old, new] {
        let lang = index::page_language(page, site_language);
        analyzer::with_analyzer(lang, |analyzer| {
            for texts in index::scored_texts(page) {
                for text in texts {
                    let mut terms = Vec::new();
                    split_words(&text, |surface, _, _| terms.push(analyzer.term(surface)));
                    changed.extend(synonyms.added_terms(&terms).into_iter().map(str::to_string));
                    changed.extend(terms);
                }
            }
        });
    }
    changed.into_iter().collect()
}

/// The index's folder, written without waiting for the disk: each tantivy commit syncs every
/// file it wrote, which takes a tenth of a second here, far longer than the edit itself. The
/// dev server's index is rebuilt whenever the server starts, so losing its last edits in a crash
/// costs nothing.
#[derive(Clone, Debug)]
pub(super) struct UnsyncedDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl UnsyncedDirectory {
    pub(super) fn open(root: &Path) -> Result<UnsyncedDirectory> {
        Ok(UnsyncedDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// A file that is flushed, not synced, when tantivy is done with it.
struct UnsyncedFile(File);

impl Write for UnsyncedFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TerminatingWrite for UnsyncedFile {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

impl Directory for UnsyncedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.root.join(path))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_path_buf())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_path_buf())
                }
            })?;
        Ok(BufWriter::new(Box::new(UnsyncedFile(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        crate::base::output::replace_file(&self.root.join(path), data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}
