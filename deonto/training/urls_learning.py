"""The e-learning and its certificates, under /training/ (namespace ``training``)."""

from django.urls import path

from deonto.training.views import learning

urlpatterns = [
    path("learn/", learning.learn_index, name="learn_index"),
    path("learn/<slug:code>/", learning.learn_course, name="learn_course"),
    path("learn/<slug:code>/start/", learning.learn_start, name="learn_start"),
    path("learn/<slug:code>/language/", learning.learn_language, name="learn_language"),
    path("learn/<slug:code>/item/<int:number>/", learning.learn_item, name="learn_item"),
    path("learn/<slug:code>/quiz/", learning.learn_quiz, name="learn_quiz"),
    path("learn/<slug:code>/quiz/result/", learning.learn_quiz_result, name="learn_quiz_result"),
    path("learn/<slug:code>/quiz/retry/", learning.learn_quiz_retry, name="learn_quiz_retry"),
    path("certificates/check/", learning.certificate_check, name="certificate_check"),
    path("certificates/<str:code>/pdf/", learning.certificate_pdf, name="certificate_pdf"),
]
