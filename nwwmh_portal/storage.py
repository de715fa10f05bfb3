from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticStorage(CompressedManifestStaticFilesStorage):
    """Compressed, hashed static files; also rewrites ES module imports to their hashed names."""

    support_js_module_import_aggregation = True
