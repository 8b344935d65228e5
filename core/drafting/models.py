"""The tables of the drafting machinery (core.drafting): one set for every drafted document.

A row names its document by type key and id (``document_type``, ``document_id``) and its piece
by type key and id (``piece_type``, ``piece_id``): no foreign key to any app's table, so that
core stays below the apps. The party of a comment's author is a foreign key to the model named
by ``settings.DRAFTING_PARTY_MODEL`` (like ``AUTH_USER_MODEL``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_LENGTH = 20


class PieceChange(models.Model):
    """One recorded change of a piece (or of the document's state): who, when, before, after.

    ``version`` is the piece's version *after* the change, so the row of version n holds the
    content of version n in ``after``; the first row of a piece (action "create") has no before.
    """

    document_type = models.CharField(max_length=KEY_LENGTH)
    document_id = models.PositiveBigIntegerField()
    piece_type = models.CharField(max_length=KEY_LENGTH)
    piece_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("wijziging van een onderdeel")
        verbose_name_plural = _("wijzigingen van onderdelen")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["document_type", "document_id", "at"], name="draft_change_doc_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "piece_type", "piece_id", "version"],
                name="draft_change_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.piece_type}#{self.piece_id} v{self.version}"


class PieceComment(models.Model):
    """A comment on a piece, or a reply to one (one level deep); never edited."""

    document_type = models.CharField(max_length=KEY_LENGTH)
    document_id = models.PositiveBigIntegerField()
    piece_type = models.CharField(max_length=KEY_LENGTH)
    piece_id = models.PositiveBigIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_party = models.ForeignKey(
        settings.DRAFTING_PARTY_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("reactie"))
    resolved = models.BooleanField(_("afgehandeld"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reactie op een onderdeel")
        verbose_name_plural = _("reacties op onderdelen")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["document_type", "document_id"], name="draft_comment_doc_idx"),
            models.Index(
                fields=["document_type", "piece_type", "piece_id"], name="draft_comment_piece_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} op {self.piece_type}#{self.piece_id}"


class PiecePresence(models.Model):
    """Who has a piece open for editing: a heartbeat, never a lock (rows expire by time)."""

    document_type = models.CharField(max_length=KEY_LENGTH)
    document_id = models.PositiveBigIntegerField()
    piece_type = models.CharField(max_length=KEY_LENGTH)
    piece_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "piece_type", "piece_id", "user"],
                name="draft_presence_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["document_type", "document_id", "seen_at"], name="draft_presence_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} bij {self.piece_type}#{self.piece_id}"


class DocumentVisit(models.Model):
    """When a user last looked at a document, for "gewijzigd sinds mijn laatste bezoek".

    A visit is a stretch of page loads without a long pause (core.drafting.services.VISIT_GAP).
    ``previous_visit_at`` is when the visit *before* the current one ended: a filter compares
    with that, so reloading the page during this visit does not empty the list."""

    document_type = models.CharField(max_length=KEY_LENGTH)
    document_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField()
    previous_visit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bezoek aan een document")
        verbose_name_plural = _("bezoeken aan documenten")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_id", "user"], name="draft_visit_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} bij {self.document_type} {self.document_id}"
