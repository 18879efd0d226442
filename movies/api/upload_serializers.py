from rest_framework import serializers

from sessions.models import Session


class UploadRequestSerializer(serializers.Serializer):
    # Empty files pass here so that the parser can name them in its own message.
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        allow_empty=False,
        help_text="The export ZIP as Letterboxd serves it, or its CSV files (watched.csv required).",
        error_messages={
            "required": "No files: send the export ZIP or its CSV files in the field 'files'.",
            "empty": "No files: send the export ZIP or its CSV files in the field 'files'.",
        },
    )


class UploadResponseSerializer(serializers.ModelSerializer):
    session_id = serializers.UUIDField(source="id", read_only=True)

    class Meta:
        model = Session
        fields = ["session_id", "status", "total_movies", "created_at"]
        read_only_fields = fields
