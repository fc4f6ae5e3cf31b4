"""The course's URLs under /training/; the participants' short join address /live/ is in urls_join."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from deonto.training.urls_content import urlpatterns as content_urls
from deonto.training.urls_learning import urlpatterns as learning_urls
from deonto.training.urls_live import urlpatterns as live_urls
from deonto.training.views.images import item_image

app_name = "training"

urlpatterns = [
    # The section's own address: the learner's courses.
    path("", login_required(RedirectView.as_view(pattern_name="training:learn_index")), name="home"),
    *learning_urls,
    *live_urls,
    *content_urls,
    path("images/<int:item_id>/", item_image, name="item_image"),
]
