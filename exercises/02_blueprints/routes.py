# Chapter 02 exercise: fill in each TODO, then grade your work with
#     pytest exercises/02_blueprints
# This file stands in for reference_app/posts/routes.py inside the complete app.

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
    # TODO(task 2): Select the posts newest first, ties broken by the highest id, and
    #   return the page that paginated() makes of them with post_schema.
    raise NotImplementedError(
        "task 2 not started: implement list_posts in exercises/02_blueprints/routes.py"
    )


@bp.get("/<id:post_id>")
def get_post(post_id: int) -> Response:
    """Return one post."""
    # TODO(task 1): Look the post up by its id (a missing id is a 404, through get_or_404)
    #   and return it dumped by post_schema.
    raise NotImplementedError(
        "task 1 not started: implement get_post in exercises/02_blueprints/routes.py"
    )


@bp.post("/")
@jwt_required()
def create_post() -> tuple[Response, int]:
    """Publish a post as the token's user."""
    # TODO(task 3): Load the request's JSON body through create_schema, save a new Post
    #   whose author is the token's user (get_current_user()), and return it with status
    #   201.
    raise NotImplementedError(
        "task 3 not started: implement create_post in exercises/02_blueprints/routes.py"
    )


@bp.put("/<id:post_id>")
@jwt_required()
def update_post(post_id: int) -> Response:
    """Change a post's title or body: its author, or an admin."""
    # TODO(task 4): Find the post (404), refuse anyone but its author or an admin (403),
    #   apply the fields loaded through update_schema, save, and return the post.
    raise NotImplementedError(
        "task 4 not started: implement update_post in exercises/02_blueprints/routes.py"
    )


@bp.delete("/<id:post_id>")
@jwt_required()
def delete_post(post_id: int) -> tuple[str, int]:
    """Delete a post: its author, or an admin."""
    # TODO(task 5): Delete the post by the same rules as an update; answer 204 with an
    #   empty body.
    raise NotImplementedError(
        "task 5 not started: implement delete_post in exercises/02_blueprints/routes.py"
    )
