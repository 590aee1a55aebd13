from shared.kit.errors import AccessDenied, NotFound


class NotYourRecommendations(AccessDenied):
    code = "not_your_recommendations"


class UserNotFound(NotFound):
    code = "user_not_found"
