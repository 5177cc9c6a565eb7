"""/images/{path}: the lead images and logos cached under the project's
images folder, and nothing outside it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Response

from topicwire.serve.errors import ApiError
from topicwire.site.feeds import IMAGE_TYPES

# cached files are named by the hash of their bytes, so a URL's content
# never changes and clients may keep it as long as they like
IMAGE_CACHE = "public, max-age=31536000, immutable"
# cached images are bounded by the fetcher; this only guards a stray big file
MAX_BYTES = 50 * 1024 * 1024


def safe_file(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names under ``root``, or None when it would
    leave ``root`` ('..', an absolute path, a symlink pointing out) or is not
    a plain file."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = PurePosixPath(relative).parts
    if relative.startswith("/") or any(p in ("..", ".") for p in parts):
        return None
    try:
        base = root.resolve(strict=True)
        target = (base / Path(*parts)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target


def router(images_dir: Path) -> APIRouter:
    api = APIRouter(tags=["images"])

    @api.get("/images/{path:path}", summary="A cached image", response_class=Response)
    def image(path: str) -> Response:
        target = safe_file(images_dir, path)
        ext = target.suffix.lower().lstrip(".") if target else ""
        if target is None or ext not in IMAGE_TYPES:
            raise ApiError(404, "no such image")
        try:
            if target.stat().st_size > MAX_BYTES:
                raise ApiError(404, "no such image")
            content = target.read_bytes()
        except OSError:
            raise ApiError(404, "no such image") from None
        return Response(content, media_type=IMAGE_TYPES[ext], headers={"Cache-Control": IMAGE_CACHE})

    return api
