"""The posts resource: anyone may read; the author, or an admin, may change."""

from http import HTTPStatus

from flask import Blueprint, Response, jsonify
from flask_jwt_extended import get_current_user, jwt_required

from reference_app.auth.permissions import require_owner_or_admin
from reference_app.extensions import db
from reference_app.lookups import get_or_404
from reference_app.models import Post
from reference_app.pagination import paginated
from reference_app.schemas import PostCreateSchema, PostResponseSchema, PostUpdateSchema
from reference_app.validation import load_json_body

bp = Blueprint("posts", __name__)

create_schema = PostCreateSchema()
update_schema = PostUpdateSchema()
post_schema = PostResponseSchema()


@bp.get("/")
def list_posts() -> Response:
    """List posts, newest first, a page at a time."""
    newest_first = db.select(Post).order_by(Post.created_at.desc(), Post.id.desc())
    return jsonify(paginated(newest_first, post_schema))


@bp.get("/<id:post_id>")
def get_post(post_id: int) -> Response:
    """Return one post."""
    return jsonify(post_schema.dump(get_or_404(Post, post_id)))


@bp.post("/")
@jwt_required()
def create_post() -> tuple[Response, int]:
    """Publish a post as the token's user."""
    data = load_json_body(create_schema)
    # The User itself: current_user is a proxy, which must not go into the ORM's state.
    post = Post(author=get_current_user(), **data)
    db.session.add(post)
    db.session.commit()
    return jsonify(post_schema.dump(post)), HTTPStatus.CREATED


@bp.put("/<id:post_id>")
@jwt_required()
def update_post(post_id: int) -> Response:
    """Change a post's title or body: its author, or an admin."""
    post = get_or_404(Post, post_id)
    require_owner_or_admin(post.author_id)
    for field, value in load_json_body(update_schema).items():
        setattr(post, field, value)
    db.session.commit()
    return jsonify(post_schema.dump(post))


@bp.delete("/<id:post_id>")
@jwt_required()
def delete_post(post_id: int) -> tuple[str, int]:
    """Delete a post: its author, or an admin."""
    post = get_or_404(Post, post_id)
    require_owner_or_admin(post.author_id)
    db.session.delete(post)
    db.session.commit()
    return "", HTTPStatus.NO_CONTENT
