from tests.support import assert_error


def test_register_login_me(client, api):
    user = api.register(email="Ann@Example.org")
    response = client.get("/api/v1/users/me", headers=api.headers(user))
    assert response.json == user
    assert_error(client.get("/api/v1/users/me"), 401)
