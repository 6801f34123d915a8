from django.urls import path

from .views import auditor, config, documents, memos, register

prefix = "o/<slug:org_slug>/memos/"
urlpatterns = [
    path(prefix, memos.memo_list, name="memo_list"),
    path(f"{prefix}new/", memos.memo_new, name="memo_new"),
    path(f"{prefix}inbox/", memos.memo_inbox, name="memo_inbox"),
    path(f"{prefix}register/", register.memo_register, name="memo_register"),
    path(f"{prefix}register/export/", register.memo_register_export, name="memo_register_export"),
    path(f"{prefix}chain/", config.chain_settings, name="chain_settings"),
    path(f"{prefix}delegations/", config.delegations, name="delegations"),
    path(f"{prefix}<int:pk>/", memos.memo_detail, name="memo_detail"),
    path(f"{prefix}<int:pk>/edit/", memos.memo_edit, name="memo_edit"),
    path(f"{prefix}<int:pk>/submit/", memos.memo_submit_view, name="memo_submit"),
    path(f"{prefix}<int:pk>/decide/", memos.memo_decide_view, name="memo_decide"),
    path(f"{prefix}<int:pk>/cancel/", memos.memo_cancel_view, name="memo_cancel"),
    path("o/<slug:org_slug>/documents/", auditor.auditor_documents, name="auditor_documents"),
    path("o/<slug:org_slug>/documents/drafts/", documents.document_drafts, name="document_drafts"),
    path("o/<slug:org_slug>/documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("o/<slug:org_slug>/documents/<int:pk>/status/", documents.document_status, name="document_status"),
    path("o/<slug:org_slug>/documents/<int:pk>/pdf/", documents.document_download, name="document_download"),
]

